package io.gatehouse.audit.scrub;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of the body HMAC, derived from the audit signing key's seed ({@code HMAC-SHA256(seed, label)}, a one-block
 * HKDF-Expand). Derived rather than configured, so there is no second secret to keep; and never stored beside the
 * log, because whoever reads the log could otherwise guess low-entropy PHI back from an HMAC. Rotating the signing
 * key rotates it: two deliveries match only under one key.
 */
public final class ScrubKey {
  private static final byte[] LABEL = "gatehouse/audit/scrub-hmac/v1".getBytes(StandardCharsets.US_ASCII);

  private ScrubKey() {}

  public static byte[] fromSigningSeed(byte[] seed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(seed, "HmacSHA256"));
      return mac.doFinal(LABEL);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is in every JDK", e);
    }
  }
}
