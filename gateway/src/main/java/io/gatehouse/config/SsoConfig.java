package io.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * OIDC single sign-on for routes with {@code auth: sso}, and the issuer of bearer tokens for {@code auth: bearer}.
 *
 * @param cookieSecrets the current secret first, then earlier ones that still open existing cookies (rotation)
 * @param n8nUsers present when each person is to be a named n8n user (the hook in {@code n8n/})
 * @param forwardHeaders the identity headers set for the upstream (client copies are always removed)
 * @param mfaAcr the {@code acr} value asked for at a step-up and taken as MFA in an ID token (besides an {@code amr}
 *     naming a second factor); when it is a number, a higher number counts too
 */
public record SsoConfig(
    URI issuer,
    String clientId,
    Secret clientSecret,
    List<Secret> cookieSecrets,
    List<String> scopes,
    String groupsClaim,
    Session session,
    Optional<N8nUsers> n8nUsers,
    ForwardHeaders forwardHeaders,
    String mfaAcr) {

  public SsoConfig {
    cookieSecrets = List.copyOf(cookieSecrets);
    scopes = List.copyOf(scopes);
  }

  /**
   * When a browser session ends, and how often its identity is checked again with the IdP.
   *
   * @param idpDownGrace how long a session keeps working while revalidation fails because the IdP cannot be reached
   * @param revocations {@code local} or {@code redis}: where back-channel logouts are shared
   */
  public record Session(Duration idleTimeout, Duration maxLifetime, Duration revalidateEvery, Duration idpDownGrace,
      String revocations) {}

  /** The shared secret of the identity assertion the n8n hook verifies, and the role of users it creates. */
  public record N8nUsers(Secret secret, String role) {}

  /** Header names for upstreams other than n8n that take a trusted user header. */
  public record ForwardHeaders(String user, String email) {
    public static final ForwardHeaders DEFAULT = new ForwardHeaders("X-Forwarded-User", "X-Forwarded-Email");
  }
}
