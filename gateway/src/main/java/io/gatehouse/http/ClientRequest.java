package io.gatehouse.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.function.Consumer;

/**
 * One request as a client sent it (an HTTP/1.x message or an HTTP/2 stream), as classify, the guards and the
 * forwarder see it. Confined to the request's event loop, and called from within its Vert.x context.
 *
 * <p>The body arrives only while the request is resumed: a new request is paused, so nothing of its body is read
 * until every guard has passed. Each chunk handed to the {@link #handler} belongs to the handler, which must release
 * it (or pass it on to something that does). Ours rather than Vert.x's {@code HttpServerRequest}: the gateway's
 * listener is written on Netty (see {@code server.GatewayServer}).
 */
public interface ClientRequest {
  HttpMethod method();

  /** The raw request target: the request line's (HTTP/1.x) or {@code :path} (HTTP/2); null when absent. */
  String uri();

  HttpProtocol protocol();

  /** The header fields as received, without HTTP/2's pseudo-headers; names compare case-insensitively. */
  HttpHeaders headers();

  /** HTTP/2's {@code :authority}; null when absent and always null for HTTP/1.x (whose {@code Host} is a header). */
  String authority();

  /** Whether the whole body has arrived (handed to the handler, or there was none). */
  boolean isEnded();

  void pause();

  void resume();

  /** Receives the body's chunks, never empty; each is the handler's to release. Null drops (releases) them. */
  void handler(Consumer<ByteBuf> onChunk);

  void endHandler(Runnable onEnd);

  /**
   * Told once when the body cannot complete: a {@link io.gatehouse.core.MalformedBodyException} for framing the
   * decoder refused, a {@link ClientGoneException} for a client that left or reset the stream.
   */
  void exceptionHandler(Consumer<Throwable> onFailure);

  /** An HTTP/1.1 WebSocket opening handshake (RFC 6455 §4.2.1): GET with {@code Upgrade: websocket}. */
  boolean isWebSocketHandshake();

  ClientResponse response();

  /**
   * Sends the response head as {@code 101 Switching Protocols} and hands over the connection's bytes either way: the
   * connection is no longer HTTP. Only for a {@link #isWebSocketHandshake()}; the response's status and headers must be
   * set first.
   */
  RawStream switchProtocols();

  /** Closes an HTTP/1.x connection (with whatever it has in flight); on HTTP/2 resets this stream only. */
  void closeConnection();
}
