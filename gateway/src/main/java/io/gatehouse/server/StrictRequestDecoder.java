package io.gatehouse.server;

import io.gatehouse.core.MalformedBodyException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * Netty's HTTP/1.x request decoder, made to refuse two request-smuggling shapes that Netty silently repairs:
 * a request with both {@code Content-Length} and {@code Transfer-Encoding} (Netty drops the length) and
 * obsolete line folding (Netty joins the lines). Repairing is allowed by RFC 9112, but the repaired request is
 * not the one an attacker's other hop saw, so the gateway refuses both with 400 and closes the connection.
 *
 * <p>A chunked body is read a second time by {@link ChunkedBodyFraming}, which Netty's own chunk parser does not
 * agree with on every input (it wraps sizes at 32 bits). When that strict reading refuses the body, what Netty made
 * of the bytes in the same decode call is withdrawn (ByteToMessageDecoder passes it on only after the call returns),
 * a failed {@link LastHttpContent} carrying a {@link MalformedBodyException} takes its place, and every later byte
 * of the connection is discarded: {@link Http1Connection} then fails the request's body and the refusal closes the
 * connection.
 *
 * <p>The decoded request is marked failed, which sends it to the invalid-request responder. The Netty version is
 * pinned and {@code StrictRequestDecoderTest} fails loudly if the decoder's behaviour changes.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
  /** Whether the decoder is between messages or reading a request line and headers. */
  private boolean inHead = true;
  /** Whether the request line of the current message has started (leading CR/LF are skipped by Netty). */
  private boolean requestLineSeen;
  private boolean atLineStart;
  private boolean folded;
  private final long maxBody;
  private final Runnable headBytesArrived;
  /** The strict reading of the chunked body being decoded; null outside one. */
  private ChunkedBodyFraming body;
  /** Set once a body is refused: nothing after it can be framed, so nothing more is decoded. */
  private boolean refused;

  /**
   * @param maxBody the server's {@code max_body}: chunk sizes adding up to more are refused with 413
   * @param headBytesArrived told whenever bytes arrive between messages: the next request's head has begun
   */
  StrictRequestDecoder(HttpDecoderConfig config, long maxBody, Runnable headBytesArrived) {
    super(config);
    this.maxBody = maxBody;
    this.headBytesArrived = headBytesArrived;
  }

  @Override protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    message.setDecoderResult(DecoderResult.failure(new SmugglingShapeException("Content-Length with Transfer-Encoding")));
  }

  @Override protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (refused) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    int produced = out.size();
    boolean scanning = inHead;
    if (scanning && in.isReadable()) headBytesArrived.run();
    // Netty returns right after a chunked head (HttpObjectDecoder READ_HEADER), so a call that starts in a body
    // consumes body bytes only, and one that starts in a head consumes no body bytes.
    ChunkedBodyFraming framing = body;
    super.decode(ctx, in, out);
    // Netty consumes whole header lines and stops at the end of the head, so these bytes are all head.
    if (scanning) scanHead(in, start, in.readerIndex());
    MalformedBodyException violation = framing == null ? null : check(framing, in, start, out, produced);
    if (violation != null) {
      refuse(in, out, produced, violation);
      return;
    }
    for (int i = produced; i < out.size(); i++) {
      Object message = out.get(i);
      if (message instanceof HttpRequest request) {
        if (folded && request.decoderResult().isSuccess()) {
          request.setDecoderResult(DecoderResult.failure(new SmugglingShapeException("obsolete line folding")));
        }
        inHead = false;
        if (request.decoderResult().isSuccess() && HttpUtil.isTransferEncodingChunked(request)) {
          body = new ChunkedBodyFraming(maxBody);
        }
      } else if (body != framing && message instanceof HttpContent) {
        // Fail closed should Netty ever decode body bytes in the call that ends a chunked head.
        refuse(in, out, produced, new MalformedBodyException("body decoded with its head", false));
        return;
      }
      if (message instanceof LastHttpContent) {
        inHead = true;
        requestLineSeen = false;
        folded = false;
        body = null;
      }
    }
  }

  @Override protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    // After a refusal the failure has been reported once; a "premature closure" on top would only repeat it.
    if (refused) in.skipBytes(in.readableBytes());
    else super.decodeLast(ctx, in, out);
  }

  /** The strict reading of the body bytes this call consumed, and whether Netty ended the message where it did. */
  private static MalformedBodyException check(ChunkedBodyFraming framing, ByteBuf in, int start, List<Object> out,
      int produced) {
    MalformedBodyException violation = framing.scan(in, start, in.readerIndex());
    if (violation != null) return violation;
    boolean nettyEnded = false;
    for (int i = produced; i < out.size(); i++) {
      if (out.get(i) instanceof HttpContent content) {
        if (!content.decoderResult().isSuccess()) {
          // Netty refused bytes this reading accepts (its own extension or trailer checks): refused all the same.
          return new MalformedBodyException("chunk refused by the decoder (" + simpleName(content) + ")", false);
        }
        nettyEnded |= content instanceof LastHttpContent;
      }
    }
    if (nettyEnded != framing.complete()) return new MalformedBodyException("decoders disagree on the body's end", false);
    return null;
  }

  private static String simpleName(HttpContent content) {
    Throwable cause = content.decoderResult().cause();
    return cause == null ? "unknown" : cause.getClass().getSimpleName();
  }

  /** Withdraws what this call decoded, reports the violation in its place and discards the rest of the input. */
  private void refuse(ByteBuf in, List<Object> out, int produced, MalformedBodyException violation) {
    while (out.size() > produced) ReferenceCountUtil.release(out.remove(out.size() - 1));
    LastHttpContent failed = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
    failed.setDecoderResult(DecoderResult.failure(violation));
    out.add(failed);
    refused = true;
    body = null;
    in.skipBytes(in.readableBytes());
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
