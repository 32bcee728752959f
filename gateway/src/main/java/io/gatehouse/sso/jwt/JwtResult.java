package io.gatehouse.sso.jwt;

/** What {@link JwtVerifier} concluded about one token: its verified claims, or why it was refused. */
public sealed interface JwtResult {
  /** The signature, issuer and validity times checked out; audience and scopes are {@link BearerRequirements}'. */
  record Verified(VerifiedJwt jwt) implements JwtResult {}

  record Refused(JwtRefusal reason) implements JwtResult {}
}
