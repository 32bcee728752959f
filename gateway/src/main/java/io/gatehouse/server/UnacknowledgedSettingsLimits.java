package io.gatehouse.server;

import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http2ServerConnection;

/**
 * Applies the gateway's {@code SETTINGS_MAX_CONCURRENT_STREAMS} to a new HTTP/2 connection at once, instead of when
 * the client acknowledges the SETTINGS frame.
 *
 * <p>Why: Netty applies a server's own settings only on the client's SETTINGS ACK (RFC 9113 section 6.5.3 lets a
 * sender wait for it). A client that never sends the ACK therefore has no stream limit at all: measured with
 * Http2AbuseIT, 200 streams opened right after the preface all became upstream requests, and the upstream pool's
 * connect timeouts then turned other clients' requests into 502s. RFC 9113 section 5.1.2 allows refusing streams
 * over the advertised limit with REFUSED_STREAM, which is what Netty does once the limit is in place.
 */
final class UnacknowledgedSettingsLimits {
  private UnacknowledgedSettingsLimits() {}

  /** Called from the connection handler, which Vert.x runs on the client's first SETTINGS, before any stream. */
  static void apply(HttpConnection connection, Http2Settings settings) {
    if (!(connection instanceof Http2ServerConnection http2)) return;
    Http2ConnectionHandler handler = http2.channelHandlerContext().pipeline().get(Http2ConnectionHandler.class);
    if (handler != null) {
      handler.connection().remote().maxActiveStreams((int) Math.min(Integer.MAX_VALUE, settings.getMaxConcurrentStreams()));
    }
  }
}
