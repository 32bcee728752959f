package io.gatehouse.sso.jwt;

import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

/**
 * One public key from an issuer's JWKS (RFC 7517 §4), with the members that restrict its use.
 *
 * @param kid null when the JWK has none
 * @param kty {@code RSA}, {@code EC} or {@code OKP}
 * @param crv {@code P-256} or {@code Ed25519}; null for RSA
 * @param alg the one algorithm the JWK allows; null when it does not say
 * @param use {@code sig}, {@code enc} or null
 * @param keyOps the JWK's {@code key_ops}; null when absent
 */
public record JsonWebKey(String kid, String kty, String crv, String alg, String use, List<String> keyOps,
    PublicKey key) {

  public JsonWebKey {
    Objects.requireNonNull(kty, "kty");
    Objects.requireNonNull(key, "key");
    keyOps = keyOps == null ? null : List.copyOf(keyOps);
  }

  /**
   * Whether a token signed with {@code algorithm} may be checked with this key: the key type and curve are the
   * algorithm's (so an RSA key never meets an EC or HMAC header), and {@code use}, {@code alg} and {@code key_ops},
   * when present, allow it (RFC 7517 §4.2–4.4).
   */
  public boolean usableFor(JwsAlgorithm algorithm) {
    if (!algorithm.keyType().equals(kty)) return false;
    if (algorithm.curve() != null && !algorithm.curve().equals(crv)) return false;
    if (use != null && !use.equals("sig")) return false;
    if (alg != null && !alg.equals(algorithm.jwaName())) return false;
    return keyOps == null || keyOps.contains("verify");
  }
}
