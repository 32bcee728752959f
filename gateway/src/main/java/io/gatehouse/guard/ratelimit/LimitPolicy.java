package io.gatehouse.guard.ratelimit;

import io.gatehouse.config.RouteConfig.LimitKey;
import io.gatehouse.config.RouteConfig.RateLimitConfig;
import java.util.Optional;

/**
 * One configured token bucket of one route, with what every check needs worked out once: the time one token takes
 * to come back and the bucket's name in answers and in the shared store. Equal policies share buckets: a reload
 * that leaves a limit alone keeps its buckets, one that changes it starts new ones.
 *
 * @param route the route's name
 * @param name how answers name it ({@code RateLimit-Policy: "client_ip";q=40;w=2}) and metrics label its key type:
 *     the config's key text ({@code client_ip}, {@code identity}, {@code route}, {@code header:x-tenant})
 * @param header the lower-case header name for {@link LimitKey#HEADER}
 * @param burst the bucket's size
 * @param permits tokens refilled per {@code periodNanos}
 */
public record LimitPolicy(
    String route, String name, LimitKey key, Optional<String> header, long burst, long permits,
    long periodNanos) {

  public LimitPolicy {
    if (burst < 1) throw new IllegalArgumentException("burst must be at least 1");
    if (permits < 1 || periodNanos < permits) throw new IllegalArgumentException("rate: 1 token per ns at most");
  }

  public static LimitPolicy of(String route, RateLimitConfig config) {
    return new LimitPolicy(route, config.keyText(), config.key(), config.header(), config.burst(),
        config.rate().permits(), config.rate().per().toNanos());
  }

  /** How long one token takes to come back (fractional nanoseconds are left to the stores' own arithmetic). */
  public double nanosPerToken() {
    return (double) periodNanos / permits;
  }

  /** The same in microseconds, the unit of the Redis store's script. */
  public double microsPerToken() {
    return nanosPerToken() / 1000.0;
  }

  /** How long an untouched bucket takes to fill up from empty: after that, forgetting it changes nothing. */
  public long nanosToFill() {
    double nanos = Math.ceil(burst * nanosPerToken());
    return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
  }

  /** Whether the key is only known once authentication has run. */
  public boolean afterAuthentication() {
    return key == LimitKey.IDENTITY;
  }

  /** The metric label for the key type: {@code header} for every header key (their names are the operator's). */
  public String keyType() {
    return key == LimitKey.HEADER ? "header" : name;
  }
}
