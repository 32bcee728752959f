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
 * @param websocketIdle a WebSocket tunnel whose client has sent nothing for this long is closed, however much n8n
 *     sends: the gateway pings a silent client every quarter of this (at least 1 s), and a living client's PONG
 *     counts, so only a vanished client is cut; a tunnel the gateway cannot ping (n8n's stream not followed) and an
 *     SSE stream are closed after this long with no traffic either way. Never cut by {@code idle}
 */
public record Timeouts(
    Duration idle,
    Duration requestHeader,
    Duration upstreamConnect,
    Duration upstreamResponse,
    Duration drain,
    Duration requestBody,
    Duration websocketIdle) {}
