package io.gatehouse.upstream;

import java.time.Duration;

/**
 * How the upstream client connects and pools, fixed for the process (a reload cannot resize pools that requests in
 * flight hold connections of).
 *
 * @param connectTimeout the TCP connect's deadline ({@code upstream_connect})
 * @param maxConnections connections per event loop per target, idle and busy together
 * @param maxWaiters requests per event loop per target that may wait for one of those; more get 503 at once
 * @param keepAliveTimeout how long an idle connection stays in the pool
 * @param maxInitialLineLength the longest status line accepted from n8n
 * @param maxHeaderSize the largest response head accepted from n8n
 */
public record UpstreamClientSettings(
    Duration connectTimeout, int maxConnections, int maxWaiters, Duration keepAliveTimeout,
    int maxInitialLineLength, int maxHeaderSize) {
  public UpstreamClientSettings {
    if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be at least 1");
    if (maxWaiters < 0) throw new IllegalArgumentException("maxWaiters must not be negative");
  }
}
