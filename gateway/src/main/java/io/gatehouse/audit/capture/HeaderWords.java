package io.gatehouse.audit.capture;

import java.util.Locale;

/**
 * The parts of a body's headers a payload entry may show. A header is the sender's text and could carry anything,
 * PHI included ({@code application/json; patient=Jane Doe}), so an entry keeps the media type alone (no parameters)
 * and an encoding only as a list of tokens; anything else is written {@code invalid}.
 *
 * <p>Checked char by char rather than with a regular expression: these run twice per captured exchange, and a
 * {@code Matcher} per header was a tenth of a scrubbing worker's time on 1 KiB webhooks.
 */
final class HeaderWords {
  static final String INVALID = "invalid";
  private static final int MAX_TYPE_PART = 64;
  private static final int MAX_ENCODING = 32;
  private static final int MAX_ENCODINGS = 4;

  private HeaderWords() {}

  /** The media type in lower case, without parameters; null for no header. */
  static String mediaType(String contentType) {
    if (contentType == null) return null;
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    int slash = type.indexOf('/');
    return slash > 0 && slash <= MAX_TYPE_PART && type.length() - slash - 1 <= MAX_TYPE_PART
        && typeChars(type, 0, slash) && typeChars(type, slash + 1, type.length()) ? type : INVALID;
  }

  /** The encodings in lower case; null for none or {@code identity}. */
  static String encoding(String contentEncoding) {
    if (contentEncoding == null) return null;
    String value = contentEncoding.trim().toLowerCase(Locale.ROOT);
    if (value.isEmpty() || value.equals("identity")) return null;
    return encodingList(value) ? value : INVALID;
  }

  /** RFC 9110 token characters a media type is written with here: at least one. */
  private static boolean typeChars(String s, int from, int to) {
    if (from >= to) return false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "!#$&^_.+-".indexOf(c) >= 0;
      if (!ok) return false;
    }
    return true;
  }

  /** What {@code \s} matches. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  /** One to four codings of letters, digits and dashes (at most 32 each), separated by commas and spaces. */
  private static boolean encodingList(String s) {
    int codings = 0;
    int i = 0;
    int n = s.length();
    while (true) {
      int start = i;
      while (i < n && (s.charAt(i) >= 'a' && s.charAt(i) <= 'z' || s.charAt(i) >= '0' && s.charAt(i) <= '9'
          || s.charAt(i) == '-')) {
        i++;
      }
      if (i == start || i - start > MAX_ENCODING || ++codings > MAX_ENCODINGS) return false;
      while (i < n && isSpace(s.charAt(i))) i++;
      if (i == n) return true;
      if (s.charAt(i++) != ',') return false;
      while (i < n && isSpace(s.charAt(i))) i++;
    }
  }
}
