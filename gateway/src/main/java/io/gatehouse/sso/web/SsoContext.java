package io.gatehouse.sso.web;

import io.gatehouse.config.SsoConfig;
import io.gatehouse.sso.n8n.N8nIdentityAssertion;
import io.gatehouse.sso.oidc.OidcProvider;
import io.gatehouse.sso.oidc.TokenEndpoint;
import io.gatehouse.sso.revocation.Revocation;
import io.gatehouse.sso.revocation.SessionRevocations;
import io.gatehouse.sso.session.LoginStateCodec;
import io.gatehouse.sso.session.Session;
import io.gatehouse.sso.session.SessionCodec;
import io.vertx.core.Future;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Set;

/**
 * What the SSO guards and endpoints of one config share: the IdP, the cookie codecs and the rules' groups. Built by
 * the wiring; the revocations and the provider outlive a reload there.
 *
 * @param callbackUri {@code public_url} + {@code /_gatehouse/oidc/callback}, registered at the IdP
 * @param relevantGroups the groups some route's {@code require_groups} names: only these go into a session
 * @param n8nAssertion null when {@code sso.n8n_users} is not configured
 */
public record SsoContext(
    SsoConfig config,
    OidcProvider provider,
    TokenEndpoint tokens,
    SessionCodec sessions,
    LoginStateCodec logins,
    SessionRevocations revocations,
    URI publicUrl,
    URI callbackUri,
    Set<String> relevantGroups,
    N8nIdentityAssertion n8nAssertion,
    SecureRandom random,
    Clock clock,
    SsoEvents events,
    SsoAudit audit) {

  public static final String CALLBACK_PATH = "/_gatehouse/oidc/callback";
  public static final String LOGOUT_PATH = "/_gatehouse/logout";
  public static final String WHOAMI_PATH = "/_gatehouse/whoami";
  public static final String BACKCHANNEL_LOGOUT_PATH = "/_gatehouse/oidc/backchannel-logout";
  private static final System.Logger LOG = System.getLogger(SsoContext.class.getName());

  public SsoContext {
    relevantGroups = Set.copyOf(relevantGroups);
  }

  /**
   * Ends a session everywhere it lives: revoked here (a copied cookie stops working too) and, with its refresh token,
   * at the IdP, server to server and without waiting for the answer.
   */
  public void endSession(Session session) {
    revoke(Revocation.session(session.id(), clock.instant()));
    if (session.refreshToken() == null) return;
    provider.discovered().onSuccess(idp -> {
      if (idp.endSession() != null) tokens.endSession(idp.endSession(), session.refreshToken());
    });
  }

  /**
   * Revokes here at once and tells the other replicas; the future fails when they could not be told (logged and
   * counted here: they end the session at its next revalidation, as the IdP refuses an ended session's refresh).
   */
  public Future<Void> revoke(Revocation revocation) {
    return revocations.revoke(revocation)
        .onSuccess(v -> events.ssoEvent(SsoEvents.REVOCATION_SHARED, "ok"))
        .onFailure(e -> {
          events.ssoEvent(SsoEvents.REVOCATION_SHARED, "store_unavailable");
          LOG.log(System.Logger.Level.WARNING, "sso: a revocation ({0}) was made here but could not be shared with"
              + " the other replicas ({1}); they end the session at its next revalidation",
              revocation.kind(), e.getClass().getSimpleName());
        });
  }
}
