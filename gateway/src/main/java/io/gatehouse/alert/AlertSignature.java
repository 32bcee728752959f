package io.gatehouse.alert;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of an alert POST: {@code X-Gatehouse-Signature: sha256=<hex of HMAC-SHA256(secret, timestamp + "." +
 * body)>}, the timestamp (Unix seconds, sent in {@code X-Gatehouse-Timestamp}) signed with the body so a receiver can
 * refuse an old POST replayed, as Stripe and Slack sign theirs.
 */
public final class AlertSignature {
  public static final String TIMESTAMP_HEADER = "X-Gatehouse-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Gatehouse-Signature";
  private static final String PREFIX = "sha256=";

  private final SecretKeySpec key;

  public AlertSignature(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  /** The {@link #SIGNATURE_HEADER} value for {@code body} sent at {@code timestamp}. */
  public String sign(String timestamp, String body) {
    return PREFIX + HexFormat.of().formatHex(mac(timestamp, body));
  }

  /**
   * What a receiver does: recomputes the HMAC and compares it in constant time (a comparison that stops at the first
   * differing byte tells a forger, by its timing, how much of a guess is right). The timestamp's age is the receiver's
   * own check.
   */
  public boolean verifies(String timestamp, String body, String header) {
    if (header == null || !header.startsWith(PREFIX)) return false;
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(timestamp, body), given);
  }

  private byte[] mac(String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) '.');
      return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
