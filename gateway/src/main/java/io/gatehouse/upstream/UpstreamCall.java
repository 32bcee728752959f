package io.gatehouse.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.ContextInternal;

/**
 * One request to n8n and its response, on a connection borrowed from the pool. The head is held back until the
 * first body bytes or the end, so a bodiless request, or one whose whole body is known, leaves in one write and one
 * flush (one TLS record, one syscall).
 *
 * <p>The connection goes back to the pool only when the response ended with framing that allows reuse
 * (Content-Length, chunked, or no body by definition), neither side asked to close, and the request was sent whole.
 * Anything else closes it: a connection holding half a request must never carry the next one.
 *
 * <p>Confined to the connection's event loop. Response events are delivered inside the caller's Vert.x context, as
 * Vert.x's own client did, so Vert.x calls made from them behave as they did.
 */
public final class UpstreamCall {
  private final UpstreamConnection connection;
  private final Channel channel;
  private final ContextInternal context;
  private final HttpMethod method;
  private final String uri;
  private final UpstreamResponseHandler handler;
  private final HttpHeaders headers = UpstreamConnection.newHeaders();
  private boolean chunked;
  private boolean headSent;
  private boolean requestSent;
  private boolean interim;
  private boolean responseReusable;
  /** Ended, failed or aborted: nothing more goes to the handler or the wire. */
  private boolean over;
  private Runnable drainHandler;

  UpstreamCall(UpstreamConnection connection, ContextInternal context, HttpMethod method, String uri,
      UpstreamResponseHandler handler) {
    this.connection = connection;
    this.channel = connection.channel();
    this.context = context;
    this.method = method;
    this.uri = uri;
    this.handler = handler;
  }

  /** The request headers to fill before the first write; {@code Host} defaults to the target's. */
  public HttpHeaders headers() { return headers; }

  /** Frames the body as chunks (a client's chunked upload); a body without a Content-Length is chunked anyway. */
  public void chunked(boolean on) { this.chunked = on; }

  /** Sends some of the request body. The buffer is the call's from now on (released once written). */
  public void write(ByteBuf chunk) {
    if (over || requestSent) {
      chunk.release();
      return;
    }
    if (!headSent) channel.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri, framed(-1)), channel.voidPromise());
    channel.writeAndFlush(new DefaultHttpContent(chunk), channel.voidPromise());
  }

  /** The request is complete; its head leaves now if no body was written. */
  public void end() {
    if (over || requestSent) return;
    requestSent = true;
    if (!headSent) {
      channel.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER,
          framed(0), EmptyHttpHeaders.INSTANCE), channel.voidPromise());
    } else {
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
    }
  }

  /**
   * Sends the whole (remaining) body and ends the request: with the head in one write when it has not left yet.
   * The buffer is the call's from now on. The future completes once the bytes are in the socket (or failed).
   */
  public ChannelFuture end(ByteBuf body) {
    if (over || requestSent) {
      body.release();
      return channel.newFailedFuture(new IllegalStateException("request already ended"));
    }
    requestSent = true;
    if (!headSent) {
      return channel.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, body,
          framed(body.readableBytes()), EmptyHttpHeaders.INSTANCE));
    }
    return channel.writeAndFlush(new DefaultLastHttpContent(body));
  }

  /** True while the connection's outbound buffer is over its high-water mark: stop writing until the drain handler. */
  public boolean writeQueueFull() {
    return !channel.isWritable();
  }

  /** Called, in the caller's context, when a full write queue has drained. */
  public void drainHandler(Runnable onDrain) {
    this.drainHandler = onDrain;
  }

  /** Stops reading n8n's response (the client is slow to take it); TCP then pushes back on n8n. */
  public void pauseResponse() {
    if (!over) channel.config().setAutoRead(false);
  }

  public void resumeResponse() {
    if (!over) channel.config().setAutoRead(true);
  }

  /** Gives up the call: the connection is closed, never reused, and the handler hears nothing more. */
  public void abort() {
    if (over) return;
    over = true;
    connection.callAborted(this);
  }

  /**
   * The head's framing, as Vert.x's client chose it: chunked when asked, or when a streamed body has no length; a
   * known body without a length gets one; a bodiless request gets neither.
   *
   * @param knownLength the whole body's length, or -1 when it streams
   */
  private HttpHeaders framed(long knownLength) {
    headSent = true;
    if (!headers.contains(HttpHeaderNames.HOST)) headers.set(HttpHeaderNames.HOST, connection.pool().address().hostHeader());
    if (chunked || (knownLength < 0 && !headers.contains(HttpHeaderNames.CONTENT_LENGTH))) {
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    } else if (knownLength > 0 && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, knownLength);
    }
    return headers;
  }

  // ---- from the connection, on its event loop

  void onMessage(Object msg) {
    if (over) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ContextInternal previous = context.beginDispatch();
    try {
      dispatch(msg);
    } catch (Throwable t) {
      // A bug in the handler must not leave the connection half-read in the pool: fail closed.
      fail(t);
    } finally {
      context.endDispatch(previous);
    }
  }

  private void dispatch(Object msg) {
    if (msg instanceof HttpResponse response) {
      if (response.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        fail(response.decoderResult().cause());
        return;
      }
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        if (response.status().code() == 101) {
          ReferenceCountUtil.release(msg);
          fail(new IllegalStateException("n8n switched protocols on a request that asked for none"));
          return;
        }
        interim = true; // dropped, with the empty end the decoder gives it
      } else {
        responseReusable = HttpUtil.isKeepAlive(response) && framedForReuse(response);
        handler.onHead(response);
        if (over) {
          ReferenceCountUtil.release(msg);
          return;
        }
      }
    }
    if (!(msg instanceof HttpContent content)) return;
    DecoderResult result = content.decoderResult();
    if (result.isFailure()) {
      content.release();
      fail(result.cause());
      return;
    }
    boolean last = content instanceof LastHttpContent;
    if (interim) {
      content.release();
      if (last) interim = false;
      return;
    }
    ByteBuf data = content.content();
    if (data.isReadable()) handler.onContent(data);
    else content.release();
    if (last && !over) complete();
  }

  private void complete() {
    over = true;
    boolean reusable = responseReusable && requestSent && !closeRequested(headers);
    connection.callEnded(this, reusable);
    handler.onEnd();
  }

  private boolean framedForReuse(HttpResponse response) {
    int status = response.status().code();
    return HttpMethod.HEAD.equals(method) || status == 204 || status == 304
        || HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response);
  }

  private static boolean closeRequested(HttpHeaders request) {
    return request.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
  }

  void onWritable() {
    Runnable drain = drainHandler;
    if (over || drain == null) return;
    ContextInternal previous = context.beginDispatch();
    try {
      drain.run();
    } finally {
      context.endDispatch(previous);
    }
  }

  /** The connection closed under the call (it is already out of the pool). */
  void onClosed(Throwable cause) {
    if (over) return;
    over = true;
    ContextInternal previous = context.beginDispatch();
    try {
      handler.onFailure(cause);
    } finally {
      context.endDispatch(previous);
    }
  }

  private void fail(Throwable cause) {
    if (over) return;
    over = true;
    connection.callAborted(this);
    handler.onFailure(cause);
  }

}
