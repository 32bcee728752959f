package io.gatehouse.server;

import io.gatehouse.http.HttpProtocol;
import io.gatehouse.http.RawStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.internal.ContextInternal;

/**
 * One HTTP/1.x request on its connection ({@link Http1Connection} runs them one after the other) and the framing of its
 * response: sized when the length is known (a response ended before its head was written is sent whole, with its
 * length, in one write), chunked otherwise on HTTP/1.1, and delimited by the close on HTTP/1.0.
 */
final class Http1Stream extends ClientStream {
  private static final HttpResponse CONTINUE =
      new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, io.netty.buffer.Unpooled.EMPTY_BUFFER,
          EmptyHttpHeaders.INSTANCE, EmptyHttpHeaders.INSTANCE);

  private final Http1Connection owner;
  private final HttpProtocol protocol;
  /** Whether the connection may carry another request after this one. */
  private boolean keepAlive;
  /** The head declares no body: the decoder hands on an empty end right after it, from the same read. */
  private final boolean bodiless;

  Http1Stream(Http1Connection owner, ClientConnection connection, ContextInternal context, HttpRequest head) {
    super(connection, context, head.method(), head.uri(), head.headers());
    this.owner = owner;
    this.protocol = head.protocolVersion() == HttpVersion.HTTP_1_0 ? HttpProtocol.HTTP_1_0 : HttpProtocol.HTTP_1_1;
    this.keepAlive = HttpUtil.isKeepAlive(head);
    String length = head.headers().get(HttpHeaderNames.CONTENT_LENGTH);
    this.bodiless = !head.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) && (length == null || length.equals("0"));
  }

  @Override public HttpProtocol protocol() { return protocol; }
  @Override public String authority() { return null; }

  @Override public boolean isWebSocketHandshake() {
    if (protocol != HttpProtocol.HTTP_1_1 || !HttpMethod.GET.equals(method())) return false;
    HttpHeaders h = headers();
    return h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && h.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  @Override public void closeConnection() {
    connection.markClosing();
    owner.channel().close();
  }

  @Override public RawStream switchProtocols() {
    if (!isWebSocketHandshake()) throw new IllegalStateException("not a WebSocket handshake");
    return owner.switchProtocols(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
        responseHeaders()));
  }

  /** Whether the connection stays open after this exchange. */
  boolean keepAlive() { return keepAlive; }

  /** Whether the request declares no body (its end carries nothing, and arrives with the head). */
  boolean bodiless() { return bodiless; }

  @Override Channel channel() { return owner.channel(); }

  @Override void readingChanged() { owner.readingChanged(); }

  @Override void afterResponseEnd() { owner.responseEnded(this); }

  @Override void writeContinue() {
    owner.write(CONTINUE);
  }

  @Override void reset() {
    connection.markClosing();
    owner.channel().close();
  }

  @Override void writeBody(ByteBuf chunk, boolean withHead) {
    if (withHead) owner.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, statusOf(status()), framedHeaders(-1)));
    owner.write(new DefaultHttpContent(chunk));
  }

  @Override ChannelFuture writeLast(ByteBuf last, boolean withHead) {
    ChannelFuture written = withHead
        ? owner.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, statusOf(status()), last,
            framedHeaders(last.readableBytes()), EmptyHttpHeaders.INSTANCE))
        : owner.write(new DefaultLastHttpContent(last));
    if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
    return written;
  }

  /**
   * The response head's fields with its framing: {@code knownLength} is the whole body's length when the response is
   * written in one piece, -1 when it streams.
   */
  private HttpHeaders framedHeaders(int knownLength) {
    HttpHeaders headers = responseHeaders();
    if (connection.closing() || connection.draining() || headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
      keepAlive = false;
    }
    boolean bodiless = HttpMethod.HEAD.equals(method()) || status() == 204 || status() == 304 || status() < 200;
    if (!bodiless && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      if (knownLength >= 0) {
        headers.set(HttpHeaderNames.CONTENT_LENGTH, knownLength);
      } else if (protocol == HttpProtocol.HTTP_1_1) {
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      } else {
        // HTTP/1.0 has no chunked coding: the body ends with the connection.
        keepAlive = false;
      }
    }
    if (!keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (protocol == HttpProtocol.HTTP_1_0) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    return headers;
  }

  private static HttpResponseStatus statusOf(int code) {
    return HttpResponseStatus.valueOf(code);
  }
}
