package io.gatehouse.forward;

import io.gatehouse.config.ServerConfig;
import java.net.URI;
import java.time.Duration;

/**
 * What the forwarder needs from the current config, resolved once per config load.
 *
 * @param forwardedHost the public {@code host[:port]} (default port omitted), sent as {@code X-Forwarded-Host}
 *     so n8n's push-origin check compares the browser's {@code Origin} with the URL users really open
 * @param idleTimeout the longest a body streaming either way may stall
 * @param tunnelIdleTimeout the longest a WebSocket or SSE tunnel may be quiet
 */
public record ForwardSettings(
    long maxBody, Duration connectTimeout, Duration responseTimeout, String forwardedHost, String forwardedProto,
    Duration idleTimeout, Duration tunnelIdleTimeout) {

  public static ForwardSettings from(ServerConfig server) {
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
        server.timeouts().websocketIdle());
  }
}
