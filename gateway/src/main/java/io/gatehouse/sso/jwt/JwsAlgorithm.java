package io.gatehouse.sso.jwt;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * The only signature algorithms a token may use (RFC 7518 §3, RFC 8037 §3.1). Anything else ({@code none}, HMAC,
 * RS512, ...) has no constant here, so it cannot be looked up: {@link #fromJwaName} answers null.
 */
public enum JwsAlgorithm {
  RS256("RS256", "RSA", null, "SHA256withRSA"),
  /** RSASSA-PSS, SHA-256, MGF1 with SHA-256, 32-byte salt (RFC 7518 §3.5). */
  PS256("PS256", "RSA", null, "RSASSA-PSS"),
  /** JOSE carries ECDSA as raw r||s (64 bytes), RFC 7518 §3.4; verified by {@link BouncyCastleKeys}. */
  ES256("ES256", "EC", "P-256", null),
  /** Verified by {@link BouncyCastleKeys}. */
  EDDSA("EdDSA", "OKP", "Ed25519", null);

  private static final PSSParameterSpec PSS_SHA256 =
      new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC);

  private final String jwaName;
  private final String keyType;
  private final String curve;
  private final String jcaName;

  JwsAlgorithm(String jwaName, String keyType, String curve, String jcaName) {
    this.jwaName = jwaName;
    this.keyType = keyType;
    this.curve = curve;
    this.jcaName = jcaName;
  }

  /** The allowed algorithm with this {@code alg} name (case-sensitive, RFC 7515 §4.1.1), or null. */
  public static JwsAlgorithm fromJwaName(String alg) {
    if (alg == null) return null;
    for (JwsAlgorithm algorithm : values()) {
      if (algorithm.jwaName.equals(alg)) return algorithm;
    }
    return null;
  }

  public String jwaName() {
    return jwaName;
  }

  /** The JWK {@code kty} its keys have. */
  public String keyType() {
    return keyType;
  }

  /** The JWK {@code crv} its keys have; null for RSA. */
  public String curve() {
    return curve;
  }

  /** Whether {@code signature} is this algorithm's signature of {@code data[offset, offset+length)} by {@code key}. */
  boolean verifies(JsonWebKey key, byte[] data, int offset, int length, byte[] signature) {
    try {
      return switch (this) {
        case ES256 -> BouncyCastleKeys.verifiesEs256(key.p256(), data, offset, length, signature);
        case EDDSA -> BouncyCastleKeys.verifiesEd25519(key.ed25519(), data, offset, length, signature);
        case RS256, PS256 -> verifiesRsa(key, data, offset, length, signature);
      };
    } catch (GeneralSecurityException | RuntimeException e) {
      // A signature of the wrong length or form for the key: not a valid signature.
      return false;
    }
  }

  private boolean verifiesRsa(JsonWebKey key, byte[] data, int offset, int length, byte[] signature)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance(jcaName);
    if (this == PS256) verifier.setParameter(PSS_SHA256);
    verifier.initVerify(key.key());
    verifier.update(data, offset, length);
    return verifier.verify(signature);
  }
}
