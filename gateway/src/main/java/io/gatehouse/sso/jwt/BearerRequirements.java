package io.gatehouse.sso.jwt;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a route with {@code auth: bearer} asks of a verified token: its {@code bearer.audience} among the token's
 * {@code aud}, and every one of {@code bearer.scopes} granted. A token without {@code aud} fails: it was not issued
 * for this API (vertx-auth lets it through when no audience is configured; we always configure one).
 */
public record BearerRequirements(String audience, List<String> scopes) {
  public BearerRequirements {
    Objects.requireNonNull(audience, "audience");
    if (audience.isEmpty()) throw new IllegalArgumentException("an audience is required");
    scopes = List.copyOf(scopes);
  }

  /** Empty when the token meets the requirements, else the first one it does not. */
  public Optional<JwtRefusal> check(VerifiedJwt jwt) {
    if (!jwt.audiences().contains(audience)) return Optional.of(JwtRefusal.WRONG_AUDIENCE);
    if (!jwt.scopes().containsAll(scopes)) return Optional.of(JwtRefusal.MISSING_SCOPE);
    return Optional.empty();
  }
}
