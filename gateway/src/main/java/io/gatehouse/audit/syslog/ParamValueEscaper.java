package io.gatehouse.audit.syslog;

/**
 * Escapes text for an RFC 5424 SD-PARAM value (§6.3.3): a backslash before {@code "}, {@code \} and {@code ]}, as
 * the RFC asks, and, beyond the RFC, every control character (C0, DEL, C1) and the Unicode line and paragraph
 * separators written as a backslash, the letter u and four lower-case hex digits, as in JSON. The RFC lets a value
 * hold any UTF-8, so a raw line break could end the record in a collector that stores or forwards one record per
 * line; escaped, it cannot. A receiver that undoes only the RFC's three escapes sees the JSON-style escape as plain
 * text, which is the point: it shows what was there without acting on it. (Which original text a value had is
 * never lost: the entry itself, byte for byte, is the message.)
 */
final class ParamValueEscaper {
  private ParamValueEscaper() {}

  static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c == ']') {
        out.append('\\').append(c);
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        out.append("\\u").append(String.format("%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
