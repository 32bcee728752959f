package io.gatehouse.server;

import io.gatehouse.http.RawStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;

/**
 * An HTTP/1.x connection after the decoder: its requests one at a time, in order. A request pipelined behind one
 * still being answered waits, and the connection stops reading until its turn (a pipelining client cannot make the
 * gateway hold more than one read of requests). Everything from Netty is handled in the event loop's Vert.x context.
 */
final class Http1Connection extends ChannelInboundHandlerAdapter {
  private final ClientConnection client;
  private final ContextInternal context;
  private final RequestSink requests;
  private ChannelHandlerContext ctx;
  /** The exchange in progress; null between requests. */
  private Http1Stream current;
  /** The current request's last part has arrived (it may still wait, paused, for its reader). */
  private boolean currentLastArrived;
  /** The current bodiless request was answered before its empty end was handed on: the next starts when it comes. */
  private boolean answeredBeforeEmptyEnd;
  /** Messages read while another request was in progress. */
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();

  Http1Connection(ClientConnection client, ContextInternal context, RequestSink requests) {
    this.client = client;
    this.context = context;
    this.requests = requests;
  }

  Channel channel() { return ctx.channel(); }

  @Override public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Writes toward the client (through the encoder), flushed by the end of the turn. */
  ChannelFuture write(Object message) {
    return ctx.writeAndFlush(message);
  }

  /**
   * Writes the 101 and turns the connection into a tunnel: the HTTP handlers leave the pipeline (bytes the decoder read
   * past the handshake go on to the tunnel) and nothing more of this exchange is HTTP.
   */
  RawStream switchProtocols(HttpResponse switching) {
    ChannelPipeline pipeline = ctx.pipeline();
    // Encoded as it is written, so the encoder can go right after.
    ctx.writeAndFlush(switching);
    RawTunnelHandler tunnel = new RawTunnelHandler(ctx.channel(), context);
    for (Object msg; (msg = waiting.poll()) != null; ) ReferenceCountUtil.release(msg);
    current = null;
    pipeline.addLast("tunnel", tunnel);
    pipeline.remove(this);
    pipeline.remove(HttpResponseEncoder.class);
    pipeline.remove(StrictRequestDecoder.class);
    ctx.channel().config().setAutoRead(true);
    return tunnel;
  }

  @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
    context.dispatch(msg, this::read);
  }

  private void read(Object msg) {
    if (client.closing()) {
      // After a refusal that ends the connection nothing more is read from it (a smuggled request is dropped).
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!waiting.isEmpty() || (current != null && currentLastArrived)) {
      waiting.add(msg);
      readingChanged();
      return;
    }
    deliver(msg);
  }

  private void deliver(Object msg) {
    if (msg instanceof HttpRequest head) {
      Http1Stream stream = new Http1Stream(this, client, context, head);
      current = stream;
      currentLastArrived = false;
      answeredBeforeEmptyEnd = false;
      readingChanged();
      Throwable failure = head.decoderResult().cause();
      if (failure == null && !isSupported(head.protocolVersion())) failure = new UnsupportedVersionException();
      if (failure != null) requests.invalid(stream, client, failure);
      else requests.request(stream, client);
      // Netty's stand-in for a head it could not decode is a full request: its (empty) end follows just below.
    }
    if (msg instanceof HttpContent content) {
      Http1Stream stream = current;
      if (stream == null || currentLastArrived) {
        content.release();
        return;
      }
      currentLastArrived = content instanceof LastHttpContent;
      if (currentLastArrived && answeredBeforeEmptyEnd) {
        content.release();
        answeredBeforeEmptyEnd = false;
        next();
        return;
      }
      if (content.decoderResult().isFailure()) {
        content.release();
        client.markClosing();
        stream.bodyFailed(content.decoderResult().cause());
        return;
      }
      stream.bodyArrived(content.content());
      if (content instanceof LastHttpContent) stream.bodyEnded();
    }
  }

  private static boolean isSupported(HttpVersion version) {
    return version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0;
  }

  /**
   * The current response has been written whole: the next request starts, unless the connection ends here. Its end
   * need not have reached its reader (a refused GET's empty end, still paused), only the wire: next() drops it.
   */
  void responseEnded(Http1Stream stream) {
    if (stream != current) return;
    if (!stream.keepAlive()) {
      // Closed once written (Http1Stream); nothing after this request is read.
      client.markClosing();
      return;
    }
    if (client.closing()) {
      // Decided after the head went out (a body refused mid-stream): the close follows what was written (flushed first).
      ctx.channel().close();
      return;
    }
    if (!currentLastArrived && stream.bodiless()) {
      // Refused on the spot, from its head: nothing is unread but the empty end the decoder hands on next, from the
      // same read. Closing here would break the keep-alive the answer promised (a client reusing it got nothing back).
      answeredBeforeEmptyEnd = true;
      return;
    }
    if (!currentLastArrived) {
      // Answered before its body was read (a refusal, an early answer from n8n): the rest of the body cannot be told
      // apart from a next request without reading it all, so the connection ends with this response.
      client.markClosing();
      stream.closeConnection();
      return;
    }
    next();
  }

  /** The exchange is over both ways: the next pipelined request, if any, starts. */
  private void next() {
    // A body nobody read to its end (a refused GET's empty end, still paused) is dropped with its stream.
    current.discardBody();
    current = null;
    while (current == null && !waiting.isEmpty() && !client.closing()) deliver(waiting.poll());
    readingChanged();
  }

  /** Hands on what waits for the current request's body, then reads only while what is read has somewhere to go. */
  void readingChanged() {
    if (ctx == null) return;
    while (current != null && !currentLastArrived && current.wantsBody() && !waiting.isEmpty()) deliver(waiting.poll());
    boolean read = waiting.isEmpty() && (current == null || currentLastArrived || !current.holdsBody());
    // Turning it on reads at once (Netty calls read()); a paused body keeps at most the rest of one read.
    if (ctx.channel().config().isAutoRead() != read) ctx.channel().config().setAutoRead(read);
  }

  @Override public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    context.dispatch(v -> {
      if (current != null) current.writable();
    });
    ctx.fireChannelWritabilityChanged();
  }

  @Override public void channelInactive(ChannelHandlerContext ctx) {
    context.dispatch(v -> {
      for (Object msg; (msg = waiting.poll()) != null; ) ReferenceCountUtil.release(msg);
      if (current != null) current.clientGone();
    });
    ctx.fireChannelInactive();
  }

  @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Socket errors (a reset, a TLS alert): the connection is gone, and channelInactive tells the exchange.
    ctx.close();
  }

  /** A request line with a version other than HTTP/1.0 and HTTP/1.1. */
  static final class UnsupportedVersionException extends IllegalArgumentException {
    UnsupportedVersionException() {
      super("unsupported HTTP version", null);
    }
  }
}
