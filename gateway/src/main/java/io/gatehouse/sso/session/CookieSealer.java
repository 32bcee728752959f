package io.gatehouse.sso.session;

import io.gatehouse.sso.CanonicalBase64Url;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Seals small payloads into cookie-safe text that only this gateway (any replica with the same secrets) can open:
 * AES-256-GCM with a random 96-bit nonce, under a key derived with HKDF-SHA256 from a configured secret and a
 * purpose, so a value sealed for one purpose (the session) never opens as another (the login state).
 *
 * <p>Sealed text is base64url (no padding) of {@code version(1) || keyId(4) || nonce(12) || ciphertext || tag(16)}.
 * The key id is a hash of the derived key, so it tells which secret sealed a value without saying anything about it;
 * version, key id and purpose are the AAD. The first secret seals; the others only open, which is how
 * {@code cookie_secret} rotates: list the new one first and the old one after it until old cookies have expired.
 *
 * <p>Random nonces stay safe for about 2^32 seals per key (NIST SP 800-38D §8.3); rotating the secret resets that.
 * Shared by every event loop: the only mutable field is the {@link SecureRandom}, which is thread-safe.
 */
public final class CookieSealer {
  static final byte VERSION = 1;
  /** Longer text is refused before it is decoded: a cookie cannot be longer than about 4 KB anyway. */
  public static final int MAX_SEALED_CHARS = 4096;
  static final int KEY_ID_BYTES = 4;
  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  static final int HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES;
  static final int MIN_SECRET_BYTES = 32;
  private static final String SALT = "gatehouse/cookie-sealer/salt/v1";
  private static final String INFO_PREFIX = "gatehouse/cookie-sealer/aes-256-gcm/v1/";
  private static final String KEY_ID_LABEL = "gatehouse/cookie-sealer/key-id/v1";

  private final String purpose;
  /** First = current (seals), the rest = previous (open only). */
  private final List<SealingKey> keys;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param purpose what the sealed values are for, e.g. {@code "session"}; lower-case letters, digits and {@code -}
   * @param secrets current secret first, then previous ones; each at least 32 bytes
   */
  public CookieSealer(String purpose, List<byte[]> secrets) {
    if (purpose == null || !purpose.matches("[a-z0-9-]{1,64}")) {
      throw new IllegalArgumentException("a purpose is 1 to 64 of [a-z0-9-]");
    }
    if (secrets.isEmpty()) throw new IllegalArgumentException("at least one secret is needed");
    this.purpose = purpose;
    List<SealingKey> derived = new ArrayList<>();
    for (byte[] secret : secrets) {
      if (secret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException("a cookie secret must be at least " + MIN_SECRET_BYTES + " bytes");
      }
      derived.add(SealingKey.derive(secret, purpose));
    }
    this.keys = List.copyOf(derived);
  }

  public String purpose() {
    return purpose;
  }

  /** Encrypts and authenticates {@code payload} with the current secret; a fresh nonce each call. */
  public String seal(byte[] payload) {
    SealingKey key = keys.get(0);
    byte[] out = new byte[HEADER_BYTES + payload.length + TAG_BYTES];
    out[0] = VERSION;
    writeInt(out, 1, key.id());
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, 1 + KEY_ID_BYTES, NONCE_BYTES);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BYTES * 8, out, 1 + KEY_ID_BYTES, NONCE_BYTES));
      cipher.updateAAD(key.aad());
      cipher.doFinal(payload, 0, payload.length, out, HEADER_BYTES);
    } catch (GeneralSecurityException e) {
      // AES-GCM is in every JDK; this is a broken runtime, not bad input.
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
    return CanonicalBase64Url.encode(out);
  }

  /**
   * The payload, or empty for anything that is not a value this sealer (with any of its secrets) sealed for its
   * purpose: wrong length, bad base64, unknown version or key id, failed tag. Never throws on hostile input.
   */
  public Optional<byte[]> open(String sealed) {
    if (sealed == null || sealed.length() > MAX_SEALED_CHARS) return Optional.empty();
    byte[] raw = CanonicalBase64Url.decodeOrNull(sealed, 0, sealed.length());
    if (raw == null || raw.length < HEADER_BYTES + TAG_BYTES || raw[0] != VERSION) return Optional.empty();
    int keyId = readInt(raw, 1);
    for (SealingKey key : keys) {
      if (key.id() != keyId) continue;
      try {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BYTES * 8, raw, 1 + KEY_ID_BYTES, NONCE_BYTES));
        cipher.updateAAD(key.aad());
        return Optional.of(cipher.doFinal(raw, HEADER_BYTES, raw.length - HEADER_BYTES));
      } catch (GeneralSecurityException e) {
        // A failed tag (AEADBadTagException); two secrets may share a 4-byte id, so the next one gets its try.
      }
    }
    return Optional.empty();
  }

  private static void writeInt(byte[] to, int at, int value) {
    to[at] = (byte) (value >>> 24);
    to[at + 1] = (byte) (value >>> 16);
    to[at + 2] = (byte) (value >>> 8);
    to[at + 3] = (byte) value;
  }

  private static int readInt(byte[] from, int at) {
    return (from[at] & 0xFF) << 24 | (from[at + 1] & 0xFF) << 16 | (from[at + 2] & 0xFF) << 8 | (from[at + 3] & 0xFF);
  }

  /** One secret's key for one purpose, its id, and the AAD every value it seals carries. */
  private record SealingKey(int id, SecretKeySpec spec, byte[] aad) {
    static SealingKey derive(byte[] secret, String purpose) {
      HKDFBytesGenerator hkdf = new HKDFBytesGenerator(SHA256Digest.newInstance());
      hkdf.init(new HKDFParameters(secret, ascii(SALT), ascii(INFO_PREFIX + purpose)));
      byte[] key = new byte[32];
      hkdf.generateBytes(key, 0, key.length);
      int id = keyId(key);
      byte[] purposeBytes = ascii(purpose);
      byte[] aad = new byte[1 + KEY_ID_BYTES + purposeBytes.length];
      aad[0] = VERSION;
      writeInt(aad, 1, id);
      System.arraycopy(purposeBytes, 0, aad, 1 + KEY_ID_BYTES, purposeBytes.length);
      return new SealingKey(id, new SecretKeySpec(key, "AES"), aad);
    }

    private static int keyId(byte[] key) {
      try {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(ascii(KEY_ID_LABEL));
        return readInt(sha256.digest(key), 0);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 unavailable", e);
      }
    }

    private static byte[] ascii(String text) {
      return text.getBytes(StandardCharsets.US_ASCII);
    }
  }
}
