package io.gatehouse.server;

import io.gatehouse.http.RawStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import java.util.function.Consumer;

/**
 * A client connection after a protocol switch: the HTTP handlers are gone and its bytes go to the tunnel as they
 * come. Everything from Netty is handled in the event loop's Vert.x context.
 */
final class RawTunnelHandler extends ChannelInboundHandlerAdapter implements RawStream {
  private final Channel channel;
  private final ContextInternal context;
  private Consumer<Buffer> bytesHandler;
  private Runnable drainHandler;
  private Runnable closeHandler;
  private boolean closed;

  RawTunnelHandler(Channel channel, ContextInternal context) {
    this.channel = channel;
    this.context = context;
  }

  @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    // Copied: WebSocketSplice's frame scanners keep partial frames across reads, in Vert.x buffers.
    Buffer copy = Buffer.buffer(ByteBufUtil.getBytes(bytes));
    bytes.release();
    context.dispatch(v -> {
      Consumer<Buffer> onBytes = bytesHandler;
      if (onBytes != null) onBytes.accept(copy);
    });
  }

  @Override public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    context.dispatch(v -> {
      Runnable onDrain = drainHandler;
      if (onDrain != null && channel.isWritable()) onDrain.run();
    });
    ctx.fireChannelWritabilityChanged();
  }

  @Override public void channelInactive(ChannelHandlerContext ctx) {
    context.dispatch(v -> {
      if (closed) return;
      closed = true;
      Runnable onClose = closeHandler;
      if (onClose != null) onClose.run();
    });
    ctx.fireChannelInactive();
  }

  @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  @Override public void handler(Consumer<Buffer> onBytes) { this.bytesHandler = onBytes; }

  @Override public void write(Buffer bytes) {
    channel.writeAndFlush(Unpooled.wrappedBuffer(bytes.getBytes()));
  }

  @Override public boolean writeQueueFull() { return !channel.isWritable(); }
  @Override public void drainHandler(Runnable onDrain) { this.drainHandler = onDrain; }
  @Override public void pause() { channel.config().setAutoRead(false); }
  @Override public void resume() { channel.config().setAutoRead(true); }

  @Override public void closeHandler(Runnable onClose) {
    this.closeHandler = onClose;
    if (closed || !channel.isActive()) {
      closed = true;
      if (onClose != null) onClose.run();
    }
  }

  @Override public void close() { channel.close(); }
}
