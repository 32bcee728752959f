package io.gatehouse.guard.signature;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 from the JDK's own provider: the one primitive every scheme here is built on. */
final class HmacSha256 {
  static final String ALGORITHM = "HmacSHA256";
  static final int DIGEST_BYTES = 32;

  private HmacSha256() {}

  /** A fresh MAC keyed with {@code key} (not empty). Each delivery gets its own: a {@link Mac} is stateful. */
  static Mac keyed(byte[] key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime must provide HmacSHA256, so this is a broken runtime, not bad input.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** An independent copy of {@code keyed} in its current state; the JDK's HMAC supports cloning. */
  static Mac copy(Mac keyed) {
    try {
      return (Mac) keyed.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA256 cannot be cloned by this runtime", e);
    }
  }

  /** The MAC of the parts written one after another. */
  static byte[] of(byte[] key, byte[]... parts) {
    Mac mac = keyed(key);
    for (byte[] part : parts) mac.update(part);
    return mac.doFinal();
  }
}
