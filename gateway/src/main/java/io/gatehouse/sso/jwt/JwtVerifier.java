package io.gatehouse.sso.jwt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.sso.SecretMemo;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Checks JWS-signed JWTs locally against one issuer's JWKS: API bearer tokens and the login flow's ID token.
 *
 * <p>In order: the token's shape and header ({@link CompactJws}: size, parts, {@code alg} in RS256/PS256/ES256/EdDSA,
 * no {@code crit}), a key under its {@code kid} whose type, curve, {@code use} and {@code alg} fit the token's alg,
 * the signature, and only then the claims: {@code iss} equal to the configured issuer, {@code exp} present and not
 * passed, {@code nbf} and {@code iat} not ahead, each with the configured skew (at most 60 s). Header members that
 * point at keys ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}) are ignored: keys come from the JWKS only.
 *
 * <p>Nothing a client sends reaches the IdP, except that a {@code kid} missing from the cached keys may cause the
 * one shared re-fetch {@link JwksCache} allows per 30 s. A token whose kid is cached completes synchronously (an
 * already-completed future), so the hot path has no callbacks. A token without {@code kid} is checked against the
 * cached keys that fit its alg, and never causes a fetch.
 *
 * <p>An API client sends the same token on every call until it expires, and its RSA or EC signature check is most of
 * a bearer request's cost (about 45 µs here, against a few for the rest). So a token that passed is remembered
 * ({@link SecretMemo}) with the key that verified it: a later copy skips the signature and the claims' structure only
 * while that same key is still in the JWKS, and its validity times ({@code exp}, {@code nbf}, {@code iat}) are
 * checked again every time. Only tokens that passed get in, so forged ones cannot fill it.
 */
public final class JwtVerifier {
  public static final Duration MAX_SKEW = Duration.ofSeconds(60);

  /** Bounded: a few hundred API clients at most, each with one live token; about 2 KiB an entry. */
  static final int VERIFIED_TOKENS = 1_000;
  static final Duration VERIFIED_FOR = Duration.ofMinutes(5);

  private final ClaimsCheck claimsCheck;
  private final JwksCache keys;
  private final SecretMemo<Passed> passed = new SecretMemo<>(VERIFIED_TOKENS, VERIFIED_FOR);

  /** A token that passed, with the key that verified its signature. */
  private record Passed(JwtResult.Verified result, ObjectNode claims, String keyId, JsonWebKey key) {}

  /**
   * @param issuer the exact {@code iss} tokens must carry
   * @param skew clock skew allowed on {@code exp}, {@code nbf} and {@code iat}; more than 60 s is cut to 60 s
   * @param clock for the validity times and the re-fetch interval
   */
  public JwtVerifier(String issuer, JwksSource source, Duration skew, Clock clock) {
    if (skew.isNegative()) throw new IllegalArgumentException("skew must not be negative");
    long skewSeconds = Math.min(skew.getSeconds(), MAX_SKEW.getSeconds());
    this.claimsCheck = new ClaimsCheck(Objects.requireNonNull(issuer, "issuer"), skewSeconds, clock);
    this.keys = new JwksCache(source, clock);
  }

  /** Fetches the JWKS now (at startup, or from a timer); completes once the keys are in place or kept. */
  public Future<Void> refresh() {
    return keys.refresh().mapEmpty();
  }

  /** How many keys are cached, for readiness and metrics. */
  public int cachedKeyCount() {
    return keys.current().size();
  }

  /**
   * Verifies {@code token}. Completes (never fails) with the verified claims or a refusal; already completed unless
   * the kid is unknown and a re-fetch is due or under way. A continuation returns to the calling Vert.x context.
   */
  public Future<JwtResult> verify(String token) {
    if (token == null || token.isEmpty() || token.length() > CompactJws.MAX_TOKEN_CHARS) {
      return refused(JwtRefusal.MALFORMED);
    }
    Passed seen = passed.get(token);
    if (seen != null && stillPublished(seen)) {
      JwtRefusal late = claimsCheck.timeRefusal(seen.claims());
      return Future.succeededFuture(late == null ? seen.result() : new JwtResult.Refused(late));
    }
    CompactJws jws;
    try {
      jws = CompactJws.parse(token);
    } catch (CompactJws.Refusal refusal) {
      return refused(refusal.reason);
    }
    if (jws.keyId() == null) return Future.succeededFuture(check(token, jws, keys.current().all(), false));
    List<JsonWebKey> cached = keys.current().withKid(jws.keyId());
    if (cached != null) return Future.succeededFuture(check(token, jws, cached, true));
    return afterRefetch(token, jws);
  }

  /** The key that verified it is still one of the issuer's (a JWKS refresh that dropped it drops the shortcut). */
  private boolean stillPublished(Passed seen) {
    List<JsonWebKey> current = seen.keyId() == null ? keys.current().all() : keys.current().withKid(seen.keyId());
    if (current == null) return false;
    for (JsonWebKey key : current) if (key == seen.key()) return true;
    return false;
  }

  private Future<JwtResult> afterRefetch(String token, CompactJws jws) {
    Context caller = Vertx.currentContext();
    Promise<JwtResult> result = Promise.promise();
    keys.afterMiss().onComplete(ar -> {
      List<JsonWebKey> found = ar.succeeded() ? ar.result().withKid(jws.keyId()) : null;
      JwtResult outcome = found == null ? new JwtResult.Refused(JwtRefusal.UNKNOWN_KEY) : check(token, jws, found, true);
      if (caller == null || Vertx.currentContext() == caller) {
        result.complete(outcome);
      } else {
        caller.runOnContext(v -> result.complete(outcome));
      }
    });
    return result.future();
  }

  /** Signature, then claims, against the keys named by the token's kid (or all keys when it names none). */
  private JwtResult check(String token, CompactJws jws, List<JsonWebKey> candidates, boolean namedByKid) {
    boolean anyFits = false;
    JsonWebKey signer = null;
    for (JsonWebKey key : candidates) {
      if (!key.usableFor(jws.algorithm())) continue;
      anyFits = true;
      if (jws.algorithm().verifies(key, jws.signingInput(), 0, jws.signingInputLength(), jws.signature())) {
        signer = key;
        break;
      }
    }
    if (!anyFits) return new JwtResult.Refused(namedByKid ? JwtRefusal.ALG_NOT_ALLOWED : JwtRefusal.UNKNOWN_KEY);
    if (signer == null) return new JwtResult.Refused(JwtRefusal.BAD_SIGNATURE);
    ObjectNode claims = jws.claimsOrNull();
    if (claims == null) return new JwtResult.Refused(JwtRefusal.MALFORMED);
    JwtResult result = claimsCheck.check(jws, claims);
    if (result instanceof JwtResult.Verified ok) passed.put(token, new Passed(ok, claims, jws.keyId(), signer));
    return result;
  }

  private static Future<JwtResult> refused(JwtRefusal reason) {
    return Future.succeededFuture(new JwtResult.Refused(reason));
  }

}
