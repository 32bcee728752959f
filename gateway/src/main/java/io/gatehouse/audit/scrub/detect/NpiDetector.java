package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.Chars.wordAt;

import io.gatehouse.audit.scrub.PhiType;

/**
 * National Provider Identifiers: ten bare digits starting with 1 or 2 whose Luhn check, computed with the card
 * issuer prefix 80840 in front (CMS, "Requirements for NPI check digit"), passes. One number in ten of that shape
 * passes by chance, and so would one epoch time in ten: next to a time cue (a field or word like {@code timestamp})
 * the number is taken as a time.
 */
public final class NpiDetector implements Detector {
  /** Luhn contribution of the prefix 80840 in front of ten digits: 0 + 8 + 8 + 0 + 8. */
  private static final int PREFIX_SUM = 24;

  @Override
  public PhiType type() {
    return PhiType.NPI;
  }

  @Override
  public int match(char[] s, int start, int limit, Cues cues) {
    int end = start + 10;
    if (end > limit || (s[start] != '1' && s[start] != '2') || Chars.digitRun(s, start, end) != 10) return -1;
    if (wordAt(s, end, start, limit)) return -1;
    int[] d = new int[10];
    for (int i = 0; i < 10; i++) d[i] = s[start + i] - '0';
    if (Luhn.sum(d, 10, PREFIX_SUM) % 10 != 0) return -1;
    return cues.near(Cue.TIME, start, end) ? -1 : end;
  }

  /** Whether {@code value} is a valid NPI. */
  public static boolean isValid(String value) {
    char[] c = value.toCharArray();
    return c.length == 10 && new NpiDetector().match(c, 0, 10, Cues.NONE) == 10;
  }

  /** The check digit that completes the nine leading digits of an NPI. */
  public static int checkDigit(String nineDigits) {
    int[] d = new int[10];
    for (int i = 0; i < 9; i++) d[i] = nineDigits.charAt(i) - '0';
    for (int c = 0; c <= 9; c++) {
      d[9] = c;
      if (Luhn.sum(d, 10, PREFIX_SUM) % 10 == 0) return c;
    }
    throw new AssertionError("some digit always completes a Luhn sum");
  }
}
