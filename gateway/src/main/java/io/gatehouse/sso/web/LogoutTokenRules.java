package io.gatehouse.sso.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.sso.jwt.VerifiedJwt;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The claims a back-channel logout token must have beyond a valid signature, issuer and times (OIDC Back-Channel
 * Logout 1.0 §2.4 and §2.6): our client in {@code aud}, a recent {@code iat}, the logout event, {@code sid} or
 * {@code sub}, a {@code jti}, and no {@code nonce} (so an ID token can never pass for a logout token).
 */
public final class LogoutTokenRules {
  public static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
  /** A logout token older than this is refused: IdPs send them at once (Keycloak synchronously). */
  public static final Duration MAX_AGE = Duration.ofMinutes(2);

  private LogoutTokenRules() {}

  /** Empty when the token is a logout token for {@code clientId} at {@code now}; else why not. */
  public static Optional<String> violation(VerifiedJwt token, String clientId, Instant now) {
    if (!token.audiences().contains(clientId)) return Optional.of("logout token not for this client");
    JsonNode iat = token.claim("iat");
    if (iat == null || !iat.canConvertToLong() || Instant.ofEpochSecond(iat.asLong()).isBefore(now.minus(MAX_AGE))) {
      return Optional.of("logout token without a recent iat");
    }
    JsonNode events = token.claim("events");
    if (events == null || !events.isObject() || !events.has(EVENT) || !events.get(EVENT).isObject()) {
      return Optional.of("logout token without the back-channel logout event");
    }
    if (token.claim("nonce") != null) return Optional.of("logout token carries a nonce");
    if (token.text("sid") == null && token.subject() == null) return Optional.of("logout token names neither sid nor sub");
    String jti = token.text("jti");
    if (jti == null || jti.isEmpty()) return Optional.of("logout token without jti");
    return Optional.empty();
  }
}
