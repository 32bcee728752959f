package io.gatehouse.cli;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.config.RateLimitsConfig;
import io.gatehouse.config.RedisConfig;
import io.gatehouse.guard.lockout.Lockouts;
import io.gatehouse.guard.ratelimit.BucketStore;
import io.gatehouse.guard.ratelimit.LocalBucketStore;
import io.gatehouse.guard.ratelimit.RedisBucketStore;
import io.gatehouse.redis.LoopConnections;
import io.gatehouse.redis.RedisClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The rate-limit bucket store and the lockout of one {@code rate_limits} section, kept across reloads that leave
 * their settings alone, so a reload forgets no bucket and no lockout.
 *
 * @param lockouts null without {@code rate_limits.lockout}
 */
record RateLimitStores(RateLimitsConfig config, BucketStore buckets, Lockouts lockouts) {
  static RateLimitStores open(Vertx vertx, RateLimitsConfig config, Consumer<AuditEvent> audit,
      GatewayMetrics metrics) {
    return new RateLimitStores(config, openBuckets(vertx, config, metrics),
        openLockouts(vertx, config, audit, metrics));
  }

  /**
   * The stores for {@code next}: these where its settings are the same, new ones where not (the replaced ones are
   * closed; requests still using them at that instant see an error and follow {@code on_store_failure}).
   */
  RateLimitStores reloaded(Vertx vertx, RateLimitsConfig next, Consumer<AuditEvent> audit, GatewayMetrics metrics) {
    boolean sameStore = config.store().equals(next.store()) && config.redis().equals(next.redis())
        && config.timeout().equals(next.timeout());
    boolean sameLockout = sameStore && config.lockout().equals(next.lockout())
        && config.ipv6Prefix() == next.ipv6Prefix();
    BucketStore nextBuckets = sameStore ? buckets : openBuckets(vertx, next, metrics);
    Lockouts nextLockouts = sameLockout ? lockouts : openLockouts(vertx, next, audit, metrics);
    if (nextBuckets != buckets) buckets.close();
    if (nextLockouts != lockouts && lockouts != null) lockouts.close();
    return new RateLimitStores(next, nextBuckets, nextLockouts);
  }

  Future<Void> close() {
    if (lockouts != null) lockouts.close();
    return buckets.close();
  }

  private static BucketStore openBuckets(Vertx vertx, RateLimitsConfig config, GatewayMetrics metrics) {
    if (!config.shared()) return new LocalBucketStore(metrics);
    // One connection per event loop for the checks (LoopConnections says why); a small pool for the rest.
    RedisConfig redis = config.redis().orElseThrow();
    LoopConnections connections = new LoopConnections(() -> RedisClients.create(vertx, redis, config.timeout(), 1),
        RedisClients.create(vertx, redis, config.timeout(), 4));
    return new RedisBucketStore(vertx, connections, redis, config.timeout());
  }

  private static Lockouts openLockouts(Vertx vertx, RateLimitsConfig config, Consumer<AuditEvent> audit,
      GatewayMetrics metrics) {
    if (config.lockout().isEmpty()) return null;
    if (!config.shared()) {
      return Lockouts.local(config.lockout().get(), config.ipv6Prefix(), Clock.systemUTC(), audit, metrics);
    }
    RedisConfig redis = config.redis().orElseThrow();
    return Lockouts.shared(vertx, RedisClients.create(vertx, redis, config.timeout(), 4),
        () -> RedisClients.create(vertx, redis, config.timeout(), 1), config.lockout().get(), config.ipv6Prefix(),
        config.timeout(), Clock.systemUTC(), audit, metrics);
  }
}
