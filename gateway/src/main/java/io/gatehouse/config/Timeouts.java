package io.gatehouse.config;

import java.time.Duration;

/**
 * Deadlines by phase: a connection is bounded by exactly one of them at any moment, so a request in flight is never
 * cut by a limit meant for a quiet connection.
 *
 * @param idle a keep-alive connection with no request in flight is closed after this long without the next request
 *     starting; also the longest a request or response body may stall while it streams
 * @param requestHeader a request's line and headers must arrive within this from their first byte (from the
 *     connection's start for its first request; the TLS handshake too): slow-header clients are cut
 * @param upstreamConnect connecting to an upstream target
 * @param upstreamResponse waiting for the upstream's response headers after the request was sent; then 504
 * @param drain on SIGTERM, how long in-flight requests (and open WebSockets) may take before they are cut
 * @param requestBody a body that must be read whole before forwarding (a signed webhook) must arrive within this;
 *     then 408 {@code request_timeout}
 * @param websocketIdle a WebSocket or SSE tunnel with no traffic either way for this long is closed; it is never
 *     cut by {@code idle}
 */
public record Timeouts(
    Duration idle,
    Duration requestHeader,
    Duration upstreamConnect,
    Duration upstreamResponse,
    Duration drain,
    Duration requestBody,
    Duration websocketIdle) {}
