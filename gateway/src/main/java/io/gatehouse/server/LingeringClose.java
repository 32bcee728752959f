package io.gatehouse.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection the way nginx's {@code lingering_close} does (RFC 9112 §9.6): first only the sending
 * side (a FIN after everything written), then whatever the client still sends is read and dropped until it closes
 * too, for at most {@link #LINGER_MILLIS}. Closing a socket with unread input makes the kernel send a TCP reset, and a
 * reset makes the client's kernel drop what it has not read yet: the refusal or the GOAWAY written just before, when
 * the client is still sending (a body over max_body, a flood of HTTP/2 frames). Sits first in the pipeline, below TLS,
 * so its close_notify goes out first and the bytes dropped are the raw ones.
 */
final class LingeringClose extends ChannelDuplexHandler {
  /** Long enough for a client to read an answer, short enough that a lingering peer holds nothing for long. */
  static final long LINGER_MILLIS = 2_000;

  private final Runnable sendingClosed;
  private boolean lingering;

  /** @param sendingClosed told when the sending side shuts: from then on nothing reaches the client */
  LingeringClose(Runnable sendingClosed) {
    this.sendingClosed = sendingClosed;
  }

  @Override public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    Channel channel = ctx.channel();
    if (lingering || !(channel instanceof DuplexChannel duplex) || !channel.isActive() || duplex.isOutputShutdown()) {
      ctx.close(promise);
      return;
    }
    lingering = true;
    ctx.flush();
    duplex.shutdownOutput().addListener(f -> {
      if (!f.isSuccess()) {
        ctx.close(promise);
        return;
      }
      sendingClosed.run();
      channel.config().setAutoRead(true);
      channel.closeFuture().addListener(c -> promise.trySuccess());
      ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    });
  }

  @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (lingering) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    // The client closed its side too (Netty's ChannelInputShutdownEvent with ALLOW_HALF_CLOSURE, or the read of EOF):
    // nothing more to wait for.
    if (lingering && evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }
}
