package io.gatehouse.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole validated configuration. Built once by {@link ConfigLoader}; immutable, so one instance can be shared
 * by every event loop and swapped atomically on reload.
 *
 * @param source the file it was read from (for messages and for watching)
 * @param upstreams pools by name, in file order
 * @param redis the shared Redis of the stores set to {@code redis} that have no URL of their own
 * @param routes in file order: the first that matches wins
 * @param replay where webhook replay protection keeps delivery ids
 * @param alerts where anomaly alerts are POSTed besides the audit log and metrics
 */
public record GatehouseConfig(
    Path source,
    ServerConfig server,
    AdminConfig admin,
    Map<String, UpstreamConfig> upstreams,
    Optional<RedisConfig> redis,
    Optional<SsoConfig> sso,
    List<WebhookConfig> webhooks,
    RateLimitsConfig rateLimits,
    List<RouteConfig> routes,
    AuditConfig audit,
    ReplayConfig replay,
    AlertsConfig alerts) {

  public GatehouseConfig {
    java.util.Objects.requireNonNull(replay, "replay");
    java.util.Objects.requireNonNull(alerts, "alerts");
    upstreams = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(upstreams));
    webhooks = List.copyOf(webhooks);
    routes = List.copyOf(routes);
  }
}
