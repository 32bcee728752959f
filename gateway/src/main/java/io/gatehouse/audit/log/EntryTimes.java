package io.gatehouse.audit.log;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Entry times as {@code 2026-12-01T09:15:02.120Z}, fast: the writer formats one per entry, and entries come in
 * bursts within the same second, so the text up to the second is kept and only the milliseconds are added. A
 * {@code DateTimeFormatter} per entry was a measurable share of the writer's time. Not thread-safe.
 */
final class EntryTimes {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private long second = Long.MIN_VALUE;
  private String prefix = "";
  private final char[] chars = new char[24];

  String format(Instant time) {
    long epochSecond = time.getEpochSecond();
    if (epochSecond != second) {
      second = epochSecond;
      prefix = SECONDS.format(time);
      if (prefix.length() != 19) return SECONDS.format(time) + millis(time) + "Z"; // years past 9999 or before 0
    }
    if (prefix.length() != 19) return prefix + millis(time) + "Z";
    prefix.getChars(0, 19, chars, 0);
    int ms = time.getNano() / 1_000_000;
    chars[19] = '.';
    chars[20] = (char) ('0' + ms / 100);
    chars[21] = (char) ('0' + ms / 10 % 10);
    chars[22] = (char) ('0' + ms % 10);
    chars[23] = 'Z';
    return new String(chars);
  }

  private static String millis(Instant time) {
    return String.format(".%03d", time.getNano() / 1_000_000);
  }
}
