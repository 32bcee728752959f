package io.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** OIDC single sign-on for routes with {@code auth: sso}. */
public record SsoConfig(
    URI issuer,
    String clientId,
    Secret clientSecret,
    Secret cookieSecret,
    List<String> scopes,
    String groupsClaim,
    Session session) {

  public SsoConfig {
    scopes = List.copyOf(scopes);
  }

  /** When a browser session ends, and how often its identity is checked again with the IdP. */
  public record Session(Duration idleTimeout, Duration maxLifetime, Duration revalidateEvery) {}
}
