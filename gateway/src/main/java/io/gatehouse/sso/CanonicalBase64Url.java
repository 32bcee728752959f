package io.gatehouse.sso;

import java.util.Base64;
import java.util.Optional;

/**
 * Base64url without padding (RFC 4648 §5), decoded strictly: only the 64 URL-safe characters, no {@code =}, and
 * the unused low bits of the last character must be zero.
 *
 * <p>Why strict: the JDK decoder ignores those unused bits, so {@code "AA"} and {@code "AB"} decode to the same
 * byte. A sealed cookie or a token signature would then have several spellings that all verify; with one spelling
 * per value, any change to the text is a change to the bytes, and is caught by the tag or the signature.
 */
public final class CanonicalBase64Url {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private CanonicalBase64Url() {}

  public static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /** The bytes, or empty when {@code text} is not the one canonical unpadded base64url spelling of any bytes. */
  public static Optional<byte[]> decode(CharSequence text) {
    return Optional.ofNullable(decodeOrNull(text, 0, text.length()));
  }

  /** Like {@link #decode(CharSequence)} for {@code text[from, to)}, returning null rather than empty. */
  public static byte[] decodeOrNull(CharSequence text, int from, int to) {
    int length = to - from;
    if (length < 0 || length % 4 == 1) return null;
    byte[] ascii = new byte[length];
    int last = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(from + i);
      int value = valueOf(c);
      if (value < 0) return null;
      ascii[i] = (byte) c;
      last = value;
    }
    // 2 trailing characters carry 12 bits for 1 byte, 3 carry 18 bits for 2 bytes: the rest must be zero.
    if (length % 4 == 2 && (last & 0x0F) != 0) return null;
    if (length % 4 == 3 && (last & 0x03) != 0) return null;
    return DECODER.decode(ascii);
  }

  private static int valueOf(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  }
}
