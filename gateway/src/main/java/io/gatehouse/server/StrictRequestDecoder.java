package io.gatehouse.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;

/**
 * Vert.x's HTTP/1.x request decoder, made to refuse two request-smuggling shapes that Netty silently repairs:
 * a request with both {@code Content-Length} and {@code Transfer-Encoding} (Netty drops the length) and
 * obsolete line folding (Netty joins the lines). Repairing is allowed by RFC 9112, but the repaired request is
 * not the one an attacker's other hop saw, so the gateway refuses both with 400 and closes the connection.
 *
 * <p>The decoded request is marked failed, which sends it to the server's invalid-request handler. This
 * extends an internal Vert.x class because Vert.x offers no public hook for its decoder; the Vert.x version is
 * pinned and {@code StrictRequestDecoderTest} fails loudly if the behaviour changes.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {
  /** Whether the decoder is between messages or reading a request line and headers. */
  private boolean inHead = true;
  /** Whether the request line of the current message has started (leading CR/LF are skipped by Netty). */
  private boolean requestLineSeen;
  private boolean atLineStart;
  private boolean folded;
  private final Runnable headBytesArrived;

  /** @param headBytesArrived told whenever bytes arrive between messages: the next request's head has begun */
  StrictRequestDecoder(HttpServerOptions options, Runnable headBytesArrived) {
    super(options);
    this.headBytesArrived = headBytesArrived;
  }

  @Override protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    message.setDecoderResult(DecoderResult.failure(new SmugglingShapeException("Content-Length with Transfer-Encoding")));
  }

  @Override protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    int start = in.readerIndex();
    int produced = out.size();
    boolean scanning = inHead;
    if (scanning && in.isReadable()) headBytesArrived.run();
    super.decode(ctx, in, out);
    // Netty consumes whole header lines and stops at the end of the head, so these bytes are all head.
    if (scanning) scanHead(in, start, in.readerIndex());
    for (int i = produced; i < out.size(); i++) {
      Object message = out.get(i);
      if (message instanceof HttpRequest request) {
        if (folded && request.decoderResult().isSuccess()) {
          request.setDecoderResult(DecoderResult.failure(new SmugglingShapeException("obsolete line folding")));
        }
        inHead = false;
      }
      if (message instanceof LastHttpContent) {
        inHead = true;
        requestLineSeen = false;
        folded = false;
      }
    }
  }

  /** A header line that starts with a space or tab is an obs-fold continuation (RFC 9112 §5.2). */
  private void scanHead(ByteBuf in, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = in.getByte(i);
      if (!requestLineSeen) {
        if (b > ' ') {
          requestLineSeen = true;
          atLineStart = false;
        }
        continue;
      }
      if (atLineStart && (b == ' ' || b == '\t')) folded = true;
      atLineStart = b == '\n';
    }
  }

  /** A framing shape the gateway refuses rather than repairs. */
  static final class SmugglingShapeException extends IllegalArgumentException {
    SmugglingShapeException(String message) {
      super(message);
    }
  }
}
