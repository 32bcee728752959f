package io.gatehouse.sso.jwt;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
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
  /** JOSE carries ECDSA as raw r||s (64 bytes), which is the JDK's P1363 format (RFC 7518 §3.4). */
  ES256("ES256", "EC", "P-256", "SHA256withECDSAinP1363Format"),
  EDDSA("EdDSA", "OKP", "Ed25519", "Ed25519");

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
  boolean verifies(PublicKey key, byte[] data, int offset, int length, byte[] signature) {
    if (this == ES256 && signature.length != 64) return false;
    try {
      Signature verifier = Signature.getInstance(jcaName);
      if (this == PS256) verifier.setParameter(PSS_SHA256);
      verifier.initVerify(key);
      verifier.update(data, offset, length);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // A key of the wrong kind for the provider, or a signature of the wrong length: not a valid signature.
      return false;
    }
  }
}
