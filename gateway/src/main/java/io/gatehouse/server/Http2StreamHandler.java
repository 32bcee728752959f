package io.gatehouse.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.ContextInternal;

/**
 * The handler of one HTTP/2 stream's child channel: the request HEADERS open an {@link Http2Stream} and start its
 * exchange; DATA and trailing HEADERS feed its body; the client's RST_STREAM, or the child channel closing, tells it
 * the client is gone. Everything from Netty is handled in the event loop's Vert.x context.
 */
final class Http2StreamHandler extends ChannelInboundHandlerAdapter {
  private final ClientConnection client;
  private final ContextInternal context;
  private final RequestSink requests;
  private Http2Stream stream;

  Http2StreamHandler(ClientConnection client, ContextInternal context, RequestSink requests) {
    this.client = client;
    this.context = context;
    this.requests = requests;
  }

  @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
    context.dispatch(v -> read(ctx, msg));
  }

  private void read(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Http2HeadersFrame headers) {
      if (stream == null) {
        stream = Http2Stream.open(ctx.channel(), client, context, headers.headers());
        if (stream == null) {
          // Malformed (RFC 9113 §8.1.1): no :method, or one that is not a token.
          ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
          return;
        }
        stream.readingChanged();
        // Known before the exchange starts, so that an answer given at once (a refusal) sees the request complete.
        if (headers.isEndStream()) stream.bodyEnded();
        requests.request(stream, client);
        return;
      }
      // Trailers end the body; their fields are not forwarded, as n8n's hop has none.
      if (headers.isEndStream()) stream.bodyEnded();
      return;
    }
    if (msg instanceof Http2DataFrame data) {
      if (stream == null) {
        data.release();
        return;
      }
      stream.bodyArrived(data.content());
      if (data.isEndStream()) stream.bodyEnded();
      return;
    }
    ReferenceCountUtil.release(msg);
  }

  @Override public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof Http2ResetFrame) {
      context.dispatch(v -> {
        if (stream != null) stream.clientGone();
      });
    }
    ReferenceCountUtil.release(evt);
  }

  @Override public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    context.dispatch(v -> {
      if (stream != null) stream.writable();
    });
  }

  @Override public void channelInactive(ChannelHandlerContext ctx) {
    context.dispatch(v -> {
      if (stream != null) stream.clientGone();
    });
  }

  /**
   * A stream error Netty found (a content-length the DATA frames do not match, a window overflow): Netty resets the
   * stream with that error right after this returns, so nothing is answered; the exchange records a bad request.
   */
  @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    context.dispatch(v -> {
      if (stream == null) return;
      // Anything else reaching a stream is its connection's failure (a TLS error, a reset socket): the client is gone.
      if (cause instanceof Http2Exception) stream.resetByProtocolError(cause);
      else stream.clientGone();
    });
  }
}
