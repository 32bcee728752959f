package io.gatehouse.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Flushes what was written before a close goes on to TLS. Vert.x closes a connection straight from its exception
 * handling (a request body the decoder refused), within the read that found the problem, when writes are not yet
 * flushed; the TLS handler would then close its engine first and drop the refusal written just before. Vert.x's own
 * orderly close flushes first in the same way.
 */
final class FlushBeforeClose extends ChannelOutboundHandlerAdapter {
  @Override public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.flush();
    ctx.close(promise);
  }
}
