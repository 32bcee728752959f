package io.gatehouse.audit.capture;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The parts of a body's headers a payload entry may show. A header is the sender's text and could carry anything,
 * PHI included ({@code application/json; patient=Jane Doe}), so an entry keeps the media type alone (no parameters)
 * and an encoding only as a list of tokens; anything else is written {@code invalid}.
 */
final class HeaderWords {
  private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9!#$&^_.+-]{1,64}/[a-z0-9!#$&^_.+-]{1,64}");
  private static final Pattern ENCODING = Pattern.compile("[a-z0-9-]{1,32}(\\s*,\\s*[a-z0-9-]{1,32}){0,3}");
  static final String INVALID = "invalid";

  private HeaderWords() {}

  /** The media type in lower case, without parameters; null for no header. */
  static String mediaType(String contentType) {
    if (contentType == null) return null;
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return MEDIA_TYPE.matcher(type).matches() ? type : INVALID;
  }

  /** The encodings in lower case; null for none or {@code identity}. */
  static String encoding(String contentEncoding) {
    if (contentEncoding == null) return null;
    String value = contentEncoding.trim().toLowerCase(Locale.ROOT);
    if (value.isEmpty() || value.equals("identity")) return null;
    return ENCODING.matcher(value).matches() ? value : INVALID;
  }
}
