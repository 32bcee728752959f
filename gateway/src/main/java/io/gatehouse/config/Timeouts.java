package io.gatehouse.config;

import java.time.Duration;

/**
 * @param idle a connection with no traffic for this long is closed
 * @param requestHeader the request line and headers must arrive within this (slow-header clients are cut)
 * @param upstreamConnect connecting to an upstream target
 * @param upstreamResponse waiting for the upstream's response headers; then 504
 * @param drain on SIGTERM, how long in-flight requests (and open WebSockets) may take before they are cut
 */
public record Timeouts(
    Duration idle, Duration requestHeader, Duration upstreamConnect, Duration upstreamResponse, Duration drain) {}
