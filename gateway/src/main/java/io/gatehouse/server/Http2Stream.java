package io.gatehouse.server;

import io.gatehouse.http.HttpProtocol;
import io.gatehouse.http.RawStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.vertx.core.internal.ContextInternal;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP/2 stream, on its own child channel (Netty's {@code Http2MultiplexHandler}): the request's HEADERS and DATA
 * frames, and the response as HEADERS and DATA frames with END_STREAM on the last one. Pausing the body stops the
 * child channel's reads, so the client's flow-control window is not renewed until the gateway has taken its bytes.
 */
final class Http2Stream extends ClientStream {
  /** Connection-specific fields (RFC 9113 §8.2.2) that an HTTP/1.1 head may carry and HTTP/2 forbids. */
  private static final Set<AsciiString> CONNECTION_SPECIFIC = Set.of(
      AsciiString.cached("connection"), AsciiString.cached("keep-alive"), AsciiString.cached("proxy-connection"),
      AsciiString.cached("transfer-encoding"), AsciiString.cached("upgrade"));

  private final Channel channel;
  private final String authority;

  private Http2Stream(Channel channel, ClientConnection connection, ContextInternal context, HttpMethod method,
      String path, String authority, HttpHeaders headers) {
    super(connection, context, method, path, headers);
    this.channel = channel;
    this.authority = authority;
  }

  /** A stream from its request HEADERS; null when a pseudo-header every request has is missing. */
  static Http2Stream open(Channel channel, ClientConnection connection, ContextInternal context, Http2Headers head) {
    CharSequence method = head.method();
    if (method == null) return null;
    HttpHeaders headers = ClientStream.UNVALIDATED_HEADERS.newHeaders();
    for (Map.Entry<CharSequence, CharSequence> field : head) {
      CharSequence name = field.getKey();
      if (name.length() > 0 && name.charAt(0) == ':') continue;
      headers.add(name.toString(), field.getValue().toString());
    }
    CharSequence path = head.path();
    CharSequence authority = head.authority();
    HttpMethod parsed;
    try {
      parsed = HttpMethod.valueOf(method.toString());
    } catch (IllegalArgumentException notAToken) {
      return null;
    }
    return new Http2Stream(channel, connection, context, parsed, path == null ? null : path.toString(),
        authority == null ? null : authority.toString(), headers);
  }

  @Override public HttpProtocol protocol() { return HttpProtocol.HTTP_2; }
  @Override public String authority() { return authority; }
  /** HTTP/2 clients open WebSockets over HTTP/1.1 (the gateway does not offer RFC 8441's extended CONNECT). */
  @Override public boolean isWebSocketHandshake() { return false; }

  @Override public RawStream switchProtocols() {
    throw new IllegalStateException("HTTP/2 streams do not switch protocols");
  }

  @Override public void closeConnection() {
    reset();
  }

  @Override Channel channel() { return channel; }

  @Override void readingChanged() {
    // Child channels cost no system call to pause; a paused stream takes no DATA, so its window is not renewed.
    boolean read = wantsBody();
    if (channel.config().isAutoRead() != read) channel.config().setAutoRead(read);
  }

  @Override void writeContinue() {
    channel.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers(false).status("100"), false));
  }

  @Override void reset() {
    channel.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
  }

  @Override void writeBody(ByteBuf chunk, boolean withHead) {
    if (withHead) channel.write(new DefaultHttp2HeadersFrame(head(), false));
    channel.writeAndFlush(new DefaultHttp2DataFrame(chunk, false));
  }

  @Override ChannelFuture writeLast(ByteBuf last, boolean withHead) {
    ChannelFuture written;
    if (withHead && !last.isReadable()) {
      last.release();
      written = channel.writeAndFlush(new DefaultHttp2HeadersFrame(head(), true));
    } else {
      if (withHead) channel.write(new DefaultHttp2HeadersFrame(head(), false));
      written = channel.writeAndFlush(new DefaultHttp2DataFrame(last, true));
    }
    // Answered before the client finished sending (a refusal, an early answer from n8n): RST_STREAM NO_ERROR tells it
    // to stop (RFC 9113 §8.1) instead of leaving the stream half-open while its DATA waits, unread, in the window.
    // Only once the answer is out: a reset cancels DATA still queued behind the flow-control window.
    written.addListener(f -> {
      if (f.isSuccess() && !lastArrived()) channel.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
    });
    return written;
  }

  private Http2Headers head() {
    Http2Headers out = new DefaultHttp2Headers(false, responseHeaders().size() + 1);
    out.status(AsciiString.of(Integer.toString(status())));
    for (Iterator<Map.Entry<CharSequence, CharSequence>> fields = responseHeaders().iteratorCharSequence(); fields.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> field = fields.next();
      AsciiString name = AsciiString.of(field.getKey()).toLowerCase();
      if (CONNECTION_SPECIFIC.contains(name)) continue;
      out.add(name, field.getValue());
    }
    return out;
  }
}
