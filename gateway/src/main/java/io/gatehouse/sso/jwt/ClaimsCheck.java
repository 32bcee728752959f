package io.gatehouse.sso.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;

/**
 * The claims every token must satisfy once its signature verified: {@code iss} exactly the configured issuer,
 * {@code exp} present and not passed, {@code nbf} and {@code iat} (when present) not ahead of now, each with the
 * skew allowed; and the registered claims the gateway reads ({@code exp}, {@code nbf}, {@code iat}, {@code sub},
 * {@code aud}) of the types RFC 7519 §4.1 gives them.
 */
final class ClaimsCheck {
  private final String issuer;
  private final long skewSeconds;
  private final Clock clock;

  ClaimsCheck(String issuer, long skewSeconds, Clock clock) {
    this.issuer = issuer;
    this.skewSeconds = skewSeconds;
    this.clock = clock;
  }

  JwtResult check(CompactJws jws, ObjectNode claims) {
    JsonNode exp = claims.get("exp");
    JsonNode nbf = claims.get("nbf");
    JsonNode iat = claims.get("iat");
    JsonNode iss = claims.get("iss");
    JsonNode sub = claims.get("sub");
    if (exp == null || !isTime(exp) || !isTimeOrAbsent(nbf) || !isTimeOrAbsent(iat)) return refused(JwtRefusal.MALFORMED);
    if ((sub != null && !sub.isTextual()) || !isAudience(claims.get("aud"))) return refused(JwtRefusal.MALFORMED);
    if (iss == null || !iss.isTextual() || !iss.textValue().equals(issuer)) return refused(JwtRefusal.WRONG_ISSUER);
    JwtRefusal late = timeRefusal(claims);
    if (late != null) return refused(late);
    long expiresAt = seconds(exp);
    Instant expiry = Instant.ofEpochSecond(Math.max(Instant.MIN.getEpochSecond(),
        Math.min(expiresAt, Instant.MAX.getEpochSecond())));
    return new JwtResult.Verified(new VerifiedJwt(jws.algorithm(), jws.keyId(), claims, expiry));
  }

  /**
   * The validity times against now: {@code exp} passed, or {@code nbf} or {@code iat} ahead, beyond the skew; null
   * when they hold. For claims whose types {@link #check} accepted (also when checked again later).
   */
  JwtRefusal timeRefusal(ObjectNode claims) {
    JsonNode nbf = claims.get("nbf");
    JsonNode iat = claims.get("iat");
    long now = clock.instant().getEpochSecond();
    if (now > saturatedAdd(seconds(claims.get("exp")), skewSeconds)) return JwtRefusal.EXPIRED;
    if (nbf != null && saturatedAdd(now, skewSeconds) < seconds(nbf)) return JwtRefusal.NOT_YET_VALID;
    if (iat != null && saturatedAdd(now, skewSeconds) < seconds(iat)) return JwtRefusal.NOT_YET_VALID;
    return null;
  }

  /** A NumericDate (RFC 7519 §2): a JSON number of seconds, fractions allowed. */
  private static boolean isTime(JsonNode value) {
    return value.isNumber() && !(value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue()));
  }

  private static boolean isTimeOrAbsent(JsonNode value) {
    return value == null || isTime(value);
  }

  /** {@code aud}: absent, one string, or an array of strings (RFC 7519 §4.1.3). */
  private static boolean isAudience(JsonNode aud) {
    if (aud == null || aud.isTextual()) return true;
    if (!aud.isArray()) return false;
    for (JsonNode item : aud) {
      if (!item.isTextual()) return false;
    }
    return true;
  }

  /** Whole seconds, rounded down; values beyond a long saturate. */
  private static long seconds(JsonNode value) {
    if (value.isIntegralNumber()) {
      if (value.canConvertToLong()) return value.longValue();
      return value.bigIntegerValue().signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return (long) Math.floor(value.doubleValue());
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
  }

  private static JwtResult refused(JwtRefusal reason) {
    return new JwtResult.Refused(reason);
  }
}
