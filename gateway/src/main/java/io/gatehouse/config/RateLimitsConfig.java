package io.gatehouse.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code rate_limits} section: where buckets live and the lockout after failed authentications.
 *
 * @param store {@code local} (this replica, in a bounded cache) or {@code redis} (shared by every replica)
 * @param redis how to reach Redis; present when {@code store} is redis (its own {@code redis:} URL, or the top-level
 *     {@code redis} section)
 * @param ipv6Prefix IPv6 clients with the same first this-many bits share a {@code client_ip} bucket and a lockout
 * @param lockout empty when failed authentications do not lock a source out
 * @param timeout one Redis call slower than this counts as the store being down
 */
public record RateLimitsConfig(
    String store, Optional<RedisConfig> redis, int ipv6Prefix, Optional<Lockout> lockout, Duration timeout) {
  public static final int DEFAULT_IPV6_PREFIX = 64;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
  public static final RateLimitsConfig LOCAL =
      new RateLimitsConfig("local", Optional.empty(), DEFAULT_IPV6_PREFIX, Optional.empty(), DEFAULT_TIMEOUT);

  public RateLimitsConfig {
    if (ipv6Prefix < 1 || ipv6Prefix > 128) throw new IllegalArgumentException("ipv6_prefix: 1 to 128");
  }

  public boolean shared() {
    return store.equals("redis");
  }

  /**
   * The {@code failures}-th failed authentication from one source (or for one identity) within {@code within} refuses
   * it for {@code ban}.
   */
  public record Lockout(int failures, Duration within, Duration ban) {}
}
