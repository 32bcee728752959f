package io.gatehouse.forward;

import io.gatehouse.config.ServerConfig;
import io.gatehouse.config.SsoConfig;
import java.net.URI;
import java.time.Duration;

/**
 * What the forwarder needs from the current config, resolved once per config load.
 *
 * @param forwardedHost the public {@code host[:port]} (default port omitted), sent as {@code X-Forwarded-Host}
 *     so n8n's push-origin check compares the browser's {@code Origin} with the URL users really open
 * @param idleTimeout the longest a body streaming either way may stall
 * @param tunnelIdleTimeout the longest an SSE stream may be quiet, and a WebSocket client silent
 * @param assertedHeaders lower-case names of headers only the gateway may set ({@code sso.forward_headers} with names
 *     of the operator's own), dropped from every client request besides the fixed ones
 */
public record ForwardSettings(
    long maxBody, Duration connectTimeout, Duration responseTimeout, String forwardedHost, String forwardedProto,
    Duration idleTimeout, Duration tunnelIdleTimeout, java.util.Set<String> assertedHeaders) {
  public ForwardSettings {
    assertedHeaders = java.util.Set.copyOf(assertedHeaders);
  }

  private static final Duration MIN_PING_INTERVAL = Duration.ofSeconds(1);

  /**
   * How long a WebSocket client may be silent before the gateway pings it: a quarter of {@code websocket_idle}, at
   * least 1 s. Four pings per window let a living client answer long before the limit, with room for answers held up
   * behind a slow download, and cost next to nothing (one small frame every 15 min by default).
   * Derived rather than configured: the decision to close stays {@code websocket_idle}'s alone.
   */
  public Duration tunnelPingInterval() {
    Duration quarter = tunnelIdleTimeout.dividedBy(4);
    return quarter.compareTo(MIN_PING_INTERVAL) < 0 ? MIN_PING_INTERVAL : quarter;
  }

  public static ForwardSettings from(ServerConfig server, java.util.Optional<SsoConfig> sso) {
    URI url = server.publicUrl();
    String scheme = url.getScheme().toLowerCase(java.util.Locale.ROOT);
    int port = url.getPort();
    boolean defaultPort = port < 0 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
    String host = url.getHost() + (defaultPort ? "" : ":" + port);
    return new ForwardSettings(
        server.maxBody(),
        server.timeouts().upstreamConnect(),
        server.timeouts().upstreamResponse(),
        host,
        scheme,
        server.timeouts().idle(),
        server.timeouts().websocketIdle(),
        sso.map(s -> java.util.Set.of(s.forwardHeaders().user().toLowerCase(java.util.Locale.ROOT),
            s.forwardHeaders().email().toLowerCase(java.util.Locale.ROOT))).orElse(java.util.Set.of()));
  }
}
