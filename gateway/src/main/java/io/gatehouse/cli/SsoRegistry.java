package io.gatehouse.cli;

import com.github.benmanes.caffeine.cache.Cache;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.Secret;
import io.gatehouse.config.SsoConfig;
import io.gatehouse.core.BodyBudget;
import io.gatehouse.core.LocalEndpoint;
import io.gatehouse.sso.n8n.N8nIdentityAssertion;
import io.gatehouse.sso.oidc.OidcProvider;
import io.gatehouse.sso.oidc.TokenEndpoint;
import io.gatehouse.sso.revocation.RedisRevocationSharing;
import io.gatehouse.sso.revocation.RevocationSharing;
import io.gatehouse.sso.revocation.SessionRevocations;
import io.gatehouse.sso.session.LoginStateCodec;
import io.gatehouse.sso.session.SessionCodec;
import io.gatehouse.sso.web.BackchannelLogoutEndpoint;
import io.gatehouse.sso.web.LoginRedirect;
import io.gatehouse.sso.web.LogoutEndpoint;
import io.gatehouse.sso.web.OidcCallbackEndpoint;
import io.gatehouse.sso.web.SessionCheck;
import io.gatehouse.sso.web.SsoAudit;
import io.gatehouse.sso.web.SsoContext;
import io.gatehouse.sso.web.SsoEvents;
import io.gatehouse.sso.web.WhoamiEndpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What SSO keeps across config reloads: the IdPs (discovery and keys, per issuer and client), the token endpoint
 * clients and the revocations (a logout must not be forgotten by a reload). Each config's {@link Sso} is built from
 * these. Owned by {@link RunningGateway}; called only when a config is built or reloaded.
 */
final class SsoRegistry {
  /** One config's SSO: its context and the pieces its guards and endpoints share. */
  record Sso(SsoContext context, SessionCheck sessions, LoginRedirect logins, BackchannelLogoutEndpoint backchannel) {
    Map<String, LocalEndpoint> endpoints() {
      return Map.of(
          SsoContext.CALLBACK_PATH, new OidcCallbackEndpoint(context),
          SsoContext.LOGOUT_PATH, new LogoutEndpoint(context),
          SsoContext.WHOAMI_PATH, new WhoamiEndpoint(context, sessions),
          SsoContext.BACKCHANNEL_LOGOUT_PATH, backchannel);
    }
  }

  /** One call to the shared store slower than this counts as the store being down. */
  static final Duration SHARED_STORE_TIMEOUT = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final BodyBudget bodyBudget;
  private final Clock clock;
  private final SsoEvents events;
  private final SsoAudit audit;
  private final SecureRandom random = new SecureRandom();
  private final Map<List<Object>, OidcProvider> providers = new HashMap<>();
  private final Map<List<Object>, TokenEndpoint> tokenEndpoints = new HashMap<>();
  /** Logout tokens' jti values, so a replayed one is refused also across a reload. */
  private final Cache<String, Boolean> seenLogoutTokens =
      BackchannelLogoutEndpoint.newReplayMemory();
  private SessionRevocations revocations;
  /**
   * What the current sharing was built for: the whole {@code redis} section (a new password or CA is a new client)
   * and max_lifetime; null for local.
   */
  private List<Object> sharingKey;

  /** @param bodyBudget what Gatehouse's own endpoints charge the bodies they read to, as the guards do */
  SsoRegistry(Vertx vertx, Clock clock, SsoEvents events, BodyBudget bodyBudget,
      java.util.function.Consumer<io.gatehouse.audit.AuditEvent> auditLog) {
    this.audit = new SsoAudit(auditLog, clock);
    this.vertx = vertx;
    this.bodyBudget = bodyBudget;
    this.clock = clock;
    this.events = events;
  }

  /** The issuer's provider; {@code clientSecret} null for one that only verifies bearer tokens. */
  synchronized OidcProvider provider(URI issuer, String clientId, Secret clientSecret) {
    List<Object> key = List.of(issuer, clientId, clientSecret == null ? "" : clientSecret.value());
    return providers.computeIfAbsent(key, k -> {
      OidcProvider provider = new OidcProvider(vertx, issuer, clientId,
          clientSecret == null ? null : clientSecret.value(), clock);
      provider.discovered(); // start now: the first login should not wait for discovery
      return provider;
    });
  }

  synchronized Sso sso(GatehouseConfig config) {
    SsoConfig sso = config.sso().orElseThrow();
    OidcProvider provider = provider(sso.issuer(), sso.clientId(), sso.clientSecret());
    TokenEndpoint tokens = tokenEndpoints.computeIfAbsent(List.of(sso.clientId(), sso.clientSecret().value()),
        k -> new TokenEndpoint(vertx, sso.clientId(), sso.clientSecret().value()));
    // Revocations are kept as long as a session can live, and outlive every reload.
    if (revocations == null) revocations = new SessionRevocations(sso.session().maxLifetime());
    revocations.keepFor(sso.session().maxLifetime());
    shareRevocations(config);
    List<byte[]> secrets = sso.cookieSecrets().stream().map(s -> s.value().getBytes(StandardCharsets.UTF_8)).toList();
    URI publicUrl = config.server().publicUrl();
    String base = publicUrl.toString().endsWith("/") ? publicUrl.toString().substring(0, publicUrl.toString().length() - 1)
        : publicUrl.toString();
    N8nIdentityAssertion assertion = sso.n8nUsers()
        .map(users -> new N8nIdentityAssertion(users.secret().value().getBytes(StandardCharsets.UTF_8)))
        .orElse(null);
    SsoContext context = new SsoContext(sso, provider, tokens, new SessionCodec(secrets),
        new LoginStateCodec(secrets, LoginRedirect.LOGIN_MAX_AGE), revocations, publicUrl,
        URI.create(base + SsoContext.CALLBACK_PATH), relevantGroups(config), assertion, random, clock, events, audit);
    return new Sso(context, new SessionCheck(context), new LoginRedirect(context),
        new BackchannelLogoutEndpoint(context, seenLogoutTokens, bodyBudget));
  }

  /**
   * {@code revocations: redis}: one shared sharing per Redis and lifetime, kept across reloads that change neither
   * (its subscription stays up); a change replaces it, and the old one is closed.
   */
  private void shareRevocations(GatehouseConfig config) {
    SsoConfig.Session session = config.sso().orElseThrow().session();
    boolean shared = session.revocations().equals("redis");
    List<Object> key = shared ? List.of(config.redis().orElseThrow(), session.maxLifetime()) : null;
    if (Objects.equals(key, sharingKey)) return;
    RevocationSharing next = shared
        ? new RedisRevocationSharing(vertx, config.redis().orElseThrow(), session.maxLifetime(),
            SHARED_STORE_TIMEOUT, revocations::received)
        : RevocationSharing.LOCAL;
    revocations.shareThrough(next).close();
    sharingKey = key;
  }

  /** Stops sharing revocations (the gateway stops). */
  synchronized Future<Void> close() {
    return revocations == null ? Future.succeededFuture() : revocations.shareThrough(RevocationSharing.LOCAL).close();
  }

  private static Set<String> relevantGroups(GatehouseConfig config) {
    Set<String> groups = new LinkedHashSet<>();
    for (RouteConfig route : config.routes()) groups.addAll(route.requireGroups());
    return groups;
  }
}
