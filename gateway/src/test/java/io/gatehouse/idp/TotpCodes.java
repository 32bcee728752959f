package io.gatehouse.idp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 TOTP codes as Keycloak checks them for an imported OTP credential: HMAC-SHA1, 6 digits, 30 s steps,
 * keyed with the UTF-8 bytes of the credential's stored secret (Keycloak keys its TOTP check with
 * {@code secretData.value.getBytes(UTF_8)}; authenticator apps get those bytes base32-encoded).
 */
public final class TotpCodes {
  public static final Duration STEP = Duration.ofSeconds(30);
  private static final int DIGITS = 6;

  private final byte[] key;

  public TotpCodes(String storedSecret) {
    this.key = storedSecret.getBytes(StandardCharsets.UTF_8);
  }

  /** The code valid at {@code instant}. */
  public String codeAt(Instant instant) {
    long counter = Math.floorDiv(instant.getEpochSecond(), STEP.toSeconds());
    byte[] message = new byte[8];
    for (int i = 7; i >= 0; i--) {
      message[i] = (byte) counter;
      counter >>>= 8;
    }
    byte[] hash;
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      hash = mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
    int offset = hash[hash.length - 1] & 0x0f;
    int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
        | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
    return String.format("%0" + DIGITS + "d", binary % 1_000_000);
  }

  /**
   * A code for now that Keycloak has not seen yet: Keycloak refuses a code used once (its OTP policy's
   * "reusable code" is off), so a second login in the same 30 s step waits for the next step.
   *
   * @param lastUsed the code this caller used last, or null
   */
  public String freshCode(String lastUsed) throws InterruptedException {
    while (true) {
      String code = codeAt(Instant.now());
      if (!code.equals(lastUsed)) return code;
      Thread.sleep(500);
    }
  }
}
