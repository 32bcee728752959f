package io.gatehouse.audit.syslog;

/** What the RFC 5424 header fields may hold, and the checks that keep a message within them. */
final class Rfc5424Fields {
  static final int MAX_HOSTNAME = 255;
  /** An RFC 5424 time (§6.2.3) up to its optional fraction of one to six digits and its {@code Z}; d: a digit. */
  private static final String TIMESTAMP_SHAPE = "dddd-dd-ddTdd:dd:dd";

  private Rfc5424Fields() {}

  /**
   * HOSTNAME is 1 to 255 printable US-ASCII characters (§6.2.4): each other character becomes {@code _}, and an
   * empty name the nil value {@code -}.
   */
  static String hostname(String replica) {
    StringBuilder out = new StringBuilder(Math.min(replica.length(), MAX_HOSTNAME));
    for (int i = 0; i < replica.length() && out.length() < MAX_HOSTNAME; i++) {
      char c = replica.charAt(i);
      out.append(c > ' ' && c < 0x7f ? c : '_');
    }
    return out.length() == 0 ? "-" : out.toString();
  }

  /** Whether {@code time} is an RFC 5424 TIMESTAMP in UTC: {@code 2026-12-01T09:15:02.120Z}, fraction optional. */
  static boolean isTimestamp(String time) {
    if (time == null || time.length() < TIMESTAMP_SHAPE.length() + 1 || time.length() > TIMESTAMP_SHAPE.length() + 8
        || time.charAt(time.length() - 1) != 'Z') {
      return false;
    }
    for (int i = 0; i < TIMESTAMP_SHAPE.length(); i++) {
      char want = TIMESTAMP_SHAPE.charAt(i);
      char c = time.charAt(i);
      if (want == 'd' ? c < '0' || c > '9' : c != want) return false;
    }
    int fraction = time.length() - 1 - TIMESTAMP_SHAPE.length(); // '.' and 1 to 6 digits, or nothing
    if (fraction == 0) return true;
    if (fraction < 2 || time.charAt(TIMESTAMP_SHAPE.length()) != '.') return false;
    for (int i = TIMESTAMP_SHAPE.length() + 1; i < time.length() - 1; i++) {
      if (time.charAt(i) < '0' || time.charAt(i) > '9') return false;
    }
    return true;
  }

  /** The UTF-8 length of {@code s}, counted without encoding it (a header is measured before it is built). */
  static int utf8Length(CharSequence s) {
    int length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) length++;
      else if (c < 0x800) length += 2;
      else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        length += 4;
        i++;
      } else length += 3;
    }
    return length;
  }
}
