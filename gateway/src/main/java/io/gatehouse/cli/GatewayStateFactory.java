package io.gatehouse.cli;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.RouteConfig.SignatureMode;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.config.UpstreamConfig;
import io.gatehouse.config.WebhookConfig;
import io.gatehouse.core.BodyBudget;
import io.gatehouse.core.Guard;
import io.gatehouse.core.GuardChain;
import io.gatehouse.core.Route;
import io.gatehouse.forward.ForwardSettings;
import io.gatehouse.forward.UpstreamPool;
import io.gatehouse.guard.DenyAllGuard;
import io.gatehouse.guard.auth.ApiKeyPresenceGuard;
import io.gatehouse.guard.auth.BearerTokenGuard;
import io.gatehouse.guard.auth.BreakGlass;
import io.gatehouse.guard.auth.IdentityRuleGuard;
import io.gatehouse.guard.auth.SsoSessionGuard;
import io.gatehouse.guard.lockout.LockoutGuard;
import io.gatehouse.guard.lockout.Lockouts;
import io.gatehouse.guard.ratelimit.BucketStore;
import io.gatehouse.guard.ratelimit.LimitKeys;
import io.gatehouse.guard.ratelimit.LimitPolicy;
import io.gatehouse.guard.ratelimit.RateLimitEvents;
import io.gatehouse.guard.ratelimit.RateLimitGuard;
import io.gatehouse.guard.replay.ReplayStore;
import io.gatehouse.guard.signature.SignatureScheme;
import io.gatehouse.guard.signature.WebhookDirectory;
import io.gatehouse.guard.signature.WebhookSignatureEvents;
import io.gatehouse.guard.signature.WebhookSignatureGuard;
import io.gatehouse.guard.source.SourceAllowListGuard;
import io.gatehouse.guard.source.SourceDenyListGuard;
import io.gatehouse.route.ClientAddressResolver;
import io.gatehouse.route.ReservedRoute;
import io.gatehouse.route.RouteTable;
import io.gatehouse.server.GatewayState;
import io.gatehouse.sso.jwt.BearerRequirements;
import io.gatehouse.sso.oidc.OidcProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds the request-path objects for one config. The one place that decides the order of a route's guards.
 *
 * @param schemes the signature scheme implementation for each {@code webhooks:} entry
 * @param events where signature guards report verifications and replay-store errors (the metrics)
 * @param bodyBudget the process-wide allowance for request bodies held in memory, shared by every config
 * @param rateLimitEvents where rate-limit guards count their checks (the metrics)
 */
record GatewayStateFactory(
    Function<WebhookConfig, SignatureScheme> schemes, WebhookSignatureEvents events, Clock clock,
    BodyBudget bodyBudget, SsoRegistry ssoRegistry, RateLimitEvents rateLimitEvents) {
  /** How long a target that refused a connection is skipped. */
  private static final Duration EJECT_FOR = Duration.ofSeconds(5);

  /**
   * @param previous the state being replaced (or null): pools whose config is unchanged are kept, so a reload
   *     does not forget which targets are down
   * @param replays the replay store in use (kept across reloads by {@link RunningGateway})
   * @param buckets the rate-limit store in use (kept across reloads likewise)
   * @param lockouts the lockout in force, or null when {@code rate_limits.lockout} is not set
   */
  GatewayState build(GatehouseConfig config, GatewayState previous, ReplayStore replays, BucketStore buckets,
      Lockouts lockouts) {
    Map<String, UpstreamPool> pools = new LinkedHashMap<>();
    for (UpstreamConfig upstream : config.upstreams().values()) {
      UpstreamPool kept = previous == null ? null : previous.pools().get(upstream.name());
      boolean same = kept != null && previous.config().upstreams().get(upstream.name()).equals(upstream);
      pools.put(upstream.name(), same ? kept : new UpstreamPool(upstream, EJECT_FOR));
    }
    WebhookDirectory webhooks = WebhookDirectory.of(config.webhooks(), schemes);
    SsoRegistry.Sso sso = config.sso().isPresent() ? ssoRegistry.sso(config) : null;
    RateLimits limits = new RateLimits(buckets, new LimitKeys(config.rateLimits().ipv6Prefix()));
    List<Route> routes = config.routes().stream()
        .map(r -> route(r, webhooks, replays, limits, lockouts, config, sso)).toList();
    Route reserved = sso == null ? ReservedRoute.empty(config.server().maxBody())
        : ReservedRoute.of(sso.endpoints(), config.server().maxBody());
    return new GatewayState(
        config,
        new RouteTable(reserved, routes),
        pools,
        new ClientAddressResolver(config.server().trustedProxies()),
        ForwardSettings.from(config.server(), config.sso()),
        Scrubbers.forGateway(config));
  }

  /**
   * The one place that orders a route's guards, by what each needs and cheapest first:
   * <ol>
   *   <li>the source: a deny rule, the deny and allow lists (the client address only), and on a route that checks
   *       credentials, a lockout of the source after failed authentications;
   *   <li>rate limits keyed by what the request alone shows (client, route, a header), before authentication so a
   *       flood of forged tokens is refused before a signature is checked;
   *   <li>authentication, which establishes the identity, and a lockout of that identity;
   *   <li>rules keyed by that identity (groups, MFA, a rate limit by identity), which must come after it;
   *   <li>the webhook signature last, because it reads the body.
   * </ol>
   */
  private Route route(RouteConfig config, WebhookDirectory webhooks, ReplayStore replays, RateLimits limits,
      Lockouts lockouts, GatehouseConfig gatehouse, SsoRegistry.Sso sso) {
    ServerConfig server = gatehouse.server();
    long maxBody = config.maxBody().orElse(server.maxBody());
    List<Guard> guards = new ArrayList<>();
    if (config.denyAll()) {
      guards.add(new DenyAllGuard());
    } else {
      if (!config.deny().isEmpty()) guards.add(new SourceDenyListGuard(config.deny()));
      guards.add(new SourceAllowListGuard(config.allow()));
      // Where credentials are checked, so where guessing happens; an open route is not closed by a lockout.
      boolean checksCredentials = config.auth() != RouteConfig.AuthMode.NONE || config.signature() != SignatureMode.OFF;
      if (lockouts != null && checksCredentials) guards.add(new LockoutGuard(lockouts, false));
      limits.guard(config, false).ifPresent(guards::add);
      // Only on auth: sso routes (check refuses it elsewhere), so sso is there when the route has one.
      BreakGlass breakGlass = config.breakGlass()
          .map(b -> BreakGlass.of(b, bodyBudget, server.timeouts().requestBody(), sso.context().events(),
              sso.context().audit()))
          .orElse(BreakGlass.NONE);
      authentication(config, gatehouse, sso, breakGlass).ifPresent(guards::add);
      if (lockouts != null && config.auth() != RouteConfig.AuthMode.NONE) guards.add(new LockoutGuard(lockouts, true));
      // Only SSO sessions carry groups and MFA (check refuses these keys on bearer routes, and warns that they do
      // nothing without an identity).
      if (config.auth() == RouteConfig.AuthMode.SSO && (!config.requireGroups().isEmpty() || config.requireMfa())) {
        guards.add(new IdentityRuleGuard(config.requireGroups(), config.requireMfa(), sso.logins(), breakGlass));
      }
      limits.guard(config, true).ifPresent(guards::add);
      if (config.signature() != SignatureMode.OFF) {
        guards.add(new WebhookSignatureGuard(config.signature(), webhooks, replays, config.replayStoreDown(), maxBody,
            bodyBudget, server.timeouts().requestBody(), clock, events));
      }
    }
    Route.Target target = config.upstream().<Route.Target>map(Route.Target.Upstream::new)
        .orElseGet(Route.Target.Refusing::new);
    return new Route(config.name(), config.match(), new GuardChain(guards), target, config.logPayloads(), maxBody,
        new Route.AuditPolicy(config.onAuditFailure() == RouteConfig.AuditFailure.FAIL_CLOSED,
            java.util.Set.copyOf(config.logQuery())), role(config));
  }

  /** What the route serves, for the anomaly detectors: see {@link Route.Role}. */
  static Route.Role role(RouteConfig config) {
    if (config.auth() == RouteConfig.AuthMode.SSO) return Route.Role.EDITOR;
    if (config.auth() == RouteConfig.AuthMode.BEARER || config.auth() == RouteConfig.AuthMode.N8N_API_KEY) {
      return Route.Role.API;
    }
    boolean webhookPaths = config.match().stream().map(p -> p.toLowerCase(java.util.Locale.ROOT))
        .anyMatch(p -> p.startsWith("/webhook") || p.startsWith("/form"));
    return config.signature() != SignatureMode.OFF || webhookPaths ? Route.Role.WEBHOOK : Route.Role.OTHER;
  }

  /** The rate-limit guards of one config. */
  private final class RateLimits {
    private final BucketStore store;
    private final LimitKeys keys;

    RateLimits(BucketStore store, LimitKeys keys) {
      this.store = store;
      this.keys = keys;
    }

    /** The route's limits known before authentication, or ({@code afterAuthentication}) those keyed by identity. */
    Optional<Guard> guard(RouteConfig route, boolean afterAuthentication) {
      List<LimitPolicy> policies = new ArrayList<>();
      for (RouteConfig.RateLimitConfig limit : route.rateLimits()) {
        LimitPolicy policy = LimitPolicy.of(route.name(), limit);
        if (policy.afterAuthentication() == afterAuthentication) policies.add(policy);
      }
      if (policies.isEmpty()) return Optional.empty();
      return Optional.of(new RateLimitGuard(route.name(), policies, store, keys, route.onStoreFailure(),
          rateLimitEvents));
    }
  }

  private Optional<Guard> authentication(RouteConfig route, GatehouseConfig gatehouse, SsoRegistry.Sso sso,
      BreakGlass breakGlass) {
    return switch (route.auth()) {
      case NONE -> Optional.empty();
      case N8N_API_KEY -> Optional.of(new ApiKeyPresenceGuard());
      case SSO -> Optional.of(new SsoSessionGuard(sso.context(), sso.sessions(), sso.logins(), breakGlass));
      case BEARER -> Optional.of(bearer(route.bearer().orElseThrow(), gatehouse));
    };
  }

  private Guard bearer(RouteConfig.BearerConfig bearer, GatehouseConfig gatehouse) {
    var sso = gatehouse.sso();
    OidcProvider issuer = bearer.issuer().isEmpty() || sso.map(s -> s.issuer().equals(bearer.issuer().get())).orElse(false)
        ? ssoRegistry.provider(sso.orElseThrow().issuer(), sso.get().clientId(), sso.get().clientSecret())
        : ssoRegistry.provider(bearer.issuer().get(), "gatehouse", null);
    return new BearerTokenGuard(issuer, new BearerRequirements(bearer.audience(), bearer.scopes()));
  }
}
