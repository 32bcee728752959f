package io.gatehouse.guard.signature;

import java.util.Base64;
import java.util.HexFormat;

/**
 * HMAC-SHA256 digests as senders write them: lowercase hex (GitHub, Stripe, Slack) or standard base64 (Shopify,
 * Standard Webhooks). Decoding accepts exactly one 32-byte digest; anything else is a malformed header rather than
 * a signature that merely fails to match, so the refusal says so.
 */
final class DigestText {
  private static final HexFormat HEX = HexFormat.of();
  private static final int HEX_CHARS = HmacSha256.DIGEST_BYTES * 2;

  private DigestText() {}

  static String hex(byte[] digest) {
    return HEX.formatHex(digest);
  }

  static String base64(byte[] digest) {
    return Base64.getEncoder().encodeToString(digest);
  }

  /** 64 hex digits, either case (senders write lowercase; case carries no meaning). */
  static byte[] fromHex(String text, String what) throws SignatureRefusal {
    if (text.length() != HEX_CHARS) throw SignatureRefusal.invalid(what + " is not a hex SHA-256 digest");
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0 || text.charAt(i) > 0x7f) {
        throw SignatureRefusal.invalid(what + " is not a hex SHA-256 digest");
      }
    }
    return HEX.parseHex(text);
  }

  /** Standard base64 (RFC 4648 section 4) of 32 bytes, padding optional. */
  static byte[] fromBase64(String text, String what) throws SignatureRefusal {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw SignatureRefusal.invalid(what + " is not base64");
    }
    if (bytes.length != HmacSha256.DIGEST_BYTES) throw SignatureRefusal.invalid(what + " is not a SHA-256 digest");
    return bytes;
  }
}
