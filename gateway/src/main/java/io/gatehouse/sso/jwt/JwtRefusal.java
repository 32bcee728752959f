package io.gatehouse.sso.jwt;

import java.util.Locale;

/**
 * Why a token was not accepted, as a short stable code for the audit detail. Never carries any of the token's
 * content, which is the caller's (and the attacker's) own text.
 */
public enum JwtRefusal {
  /** Not a JWS compact token we accept: size, parts, base64url, JSON, {@code crit}, a required claim. */
  MALFORMED,
  /** {@code alg} is not RS256, PS256, ES256 or EdDSA, or the key under its {@code kid} is not one for that alg. */
  ALG_NOT_ALLOWED,
  /** No key with the token's {@code kid}, even after the JWKS was re-fetched (or re-fetching was not due). */
  UNKNOWN_KEY,
  BAD_SIGNATURE,
  EXPIRED,
  NOT_YET_VALID,
  WRONG_ISSUER,
  /** {@code aud} missing or not naming the route's audience ({@link BearerRequirements}). */
  WRONG_AUDIENCE,
  /** A scope the route requires is not granted ({@link BearerRequirements}). */
  MISSING_SCOPE;

  private final String code = name().toLowerCase(Locale.ROOT);

  public String code() {
    return code;
  }
}
