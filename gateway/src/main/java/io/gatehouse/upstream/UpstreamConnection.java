package io.gatehouse.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.ContextInternal;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 connection to n8n, the last handler of its pipeline ([SslHandler] → HttpClientCodec → this). It carries
 * one {@link UpstreamCall} at a time and, between calls, waits in its {@link LoopConnectionPool}. Everything here runs
 * on the connection's event loop, which is also the loop of the client requests that borrow it: no locks.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {
  private final LoopConnectionPool pool;
  private Channel channel;
  private UpstreamCall call;
  private boolean removed;
  // Idle bookkeeping: one lazily re-armed timer per connection, instead of a timer set and cancelled per request.
  private boolean idle;
  private long idleSinceNanos;
  private boolean idleTimerArmed;
  private Throwable failure;

  UpstreamConnection(LoopConnectionPool pool) {
    this.pool = pool;
  }

  /**
   * Starts a request on this connection, which the caller got from the pool and now owns until the call ends.
   *
   * @param uri the request target as it goes to n8n (path and query)
   */
  public UpstreamCall call(HttpMethod method, String uri, UpstreamResponseHandler handler) {
    if (call != null) throw new IllegalStateException("connection already carries a call");
    ContextInternal context = ContextInternal.current();
    if (context == null || !channel.eventLoop().inEventLoop()) {
      throw new IllegalStateException("a call starts on its connection's event loop, in a Vert.x context");
    }
    UpstreamCall started = new UpstreamCall(this, context, method, uri, handler);
    call = started;
    return started;
  }

  /** Gives the connection back unused (the client left while it was being acquired). */
  public void recycle() {
    if (call != null) throw new IllegalStateException("connection carries a call");
    pool.release(this);
  }

  /** The request headers a call starts with: validated, since they come from a client. */
  static HttpHeaders newHeaders() {
    return io.netty.handler.codec.http.DefaultHttpHeadersFactory.headersFactory().newHeaders();
  }

  Channel channel() { return channel; }
  LoopConnectionPool pool() { return pool; }

  /** The call ended with the connection in a known, reusable state. */
  void callEnded(UpstreamCall ended, boolean reusable) {
    if (call != ended) return;
    call = null;
    channel.config().setAutoRead(true);
    if (reusable && channel.isActive()) pool.release(this);
    else channel.close();
  }

  /** The call was given up mid-way: whatever it left on the wire (half a request) must not reach the next one. */
  void callAborted(UpstreamCall aborted) {
    if (call != aborted) return;
    call = null;
    channel.close();
  }

  /** True if the connection can carry a request now: open, and nothing arrived while it sat idle. */
  boolean usable() {
    return channel.isActive() && !removed;
  }

  void enteredPool() {
    idle = true;
    idleSinceNanos = System.nanoTime();
    if (!idleTimerArmed) armIdleTimer(pool.keepAliveNanos());
  }

  void leftPool() {
    idle = false;
  }

  private void armIdleTimer(long delayNanos) {
    idleTimerArmed = true;
    channel.eventLoop().schedule(this::idleCheck, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void idleCheck() {
    idleTimerArmed = false;
    if (!idle || removed) return; // in use: armed again when it comes back
    long left = idleSinceNanos + pool.keepAliveNanos() - System.nanoTime();
    if (left <= 0) channel.close(); // channelInactive takes it out of the pool
    else armIdleTimer(left);
  }

  /** Once per connection, however it ends (connect failed, closed by either side): the pool forgets it. */
  void removeOnce() {
    if (removed) return;
    removed = true;
    pool.removed(this);
  }

  @Override public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamCall current = call;
    if (current != null) {
      current.onMessage(msg);
    } else {
      // Nothing may arrive between calls: a server that does so does not frame responses as we do.
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    UpstreamCall current = call;
    if (current != null && ctx.channel().isWritable()) current.onWritable();
    ctx.fireChannelWritabilityChanged();
  }

  @Override public void channelInactive(ChannelHandlerContext ctx) {
    removeOnce();
    UpstreamCall current = call;
    call = null;
    if (current != null) current.onClosed(failure != null ? failure : new ClosedChannelException());
  }

  @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Reported to the call by channelInactive, with the first cause; a codec's complaint after the close is noise.
    if (failure == null) failure = cause;
    ctx.close();
  }
}
