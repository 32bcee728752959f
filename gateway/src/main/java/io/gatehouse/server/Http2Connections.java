package io.gatehouse.server;

import io.gatehouse.admin.GatewayMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.vertx.core.internal.ContextInternal;
import java.util.Locale;

/**
 * Sets up a connection that chose HTTP/2: Netty's frame codec with the gateway's limits, a child channel per stream
 * ({@link Http2StreamHandler}), and the count of connection errors by kind.
 *
 * <p>The limits are Netty's defences, kept at the values Vert.x gave them before: 128 concurrent streams, a 32 KiB
 * header list, at most 200 RST_STREAMs received per 30 s (rapid reset, CVE-2023-44487), at most 10,000 control-frame
 * answers queued for a client that does not read them (SETTINGS and PING floods), and a bound on empty CONTINUATION
 * and DATA frames.
 */
final class Http2Connections {
  static final int MAX_CONCURRENT_STREAMS = 128;
  static final int MAX_HEADER_LIST_SIZE = 32 * 1024;

  private final GatewayMetrics metrics;

  Http2Connections(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  void configure(ChannelPipeline pipeline, ClientConnection client, ContextInternal context, RequestSink requests) {
    Http2FrameCodec codec = new CountingCodecBuilder()
        .initialSettings(Http2Settings.defaultSettings()
            .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
            .maxHeaderListSize(MAX_HEADER_LIST_SIZE))
        .validateHeaders(true)
        .build();
    // Netty applies a server's own settings only on the client's SETTINGS ACK (RFC 9113 §6.5.3 lets it wait), so a
    // client that never acknowledges would have no stream limit: measured with Http2AbuseIT, 200 streams right after
    // the preface all became upstream requests. Applied now, streams over it are refused with REFUSED_STREAM.
    codec.connection().remote().maxActiveStreams(MAX_CONCURRENT_STREAMS);
    pipeline.addLast("http2", codec);
    pipeline.addLast("http2Streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override protected void initChannel(Http2StreamChannel stream) {
        stream.config().setWriteBufferWaterMark(GatewayServer.WRITE_BUFFER);
        stream.pipeline().addLast(new Http2StreamHandler(client, context, requests));
      }
    }));
    pipeline.addLast("http2Errors", new ChannelInboundHandlerAdapter() {
      @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Counted by the codec; the connection is closing (or, for a socket error, gone).
      }
    });
  }

  /**
   * Builds the codec that counts connection errors by kind just before it writes the GOAWAY with the same code, those
   * it finds in what it reads and those of its own limits on what it writes (a SETTINGS or PING flood, the 201st
   * RST_STREAM), which Netty does not pass up the pipeline.
   */
  private final class CountingCodecBuilder extends Http2FrameCodecBuilder {
    CountingCodecBuilder() {
      server(true);
      // As forServer(): a close sends GOAWAY and closes; shutdown sets its own grace on the codec.
      gracefulShutdownTimeoutMillis(0);
    }

    @Override protected Http2FrameCodec build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings initialSettings) {
      Http2FrameCodec codec = new Http2FrameCodec(encoder, decoder, initialSettings, decoupleCloseAndGoAway(),
          flushPreface()) {
        @Override protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
            Http2Exception http2Ex) {
          Http2Exception counted = http2Ex != null ? http2Ex : find(cause);
          if (counted != null) metrics.http2Error(counted.error().name().toLowerCase(Locale.ROOT));
          super.onConnectionError(ctx, outbound, cause, http2Ex);
        }
      };
      codec.gracefulShutdownTimeoutMillis(gracefulShutdownTimeoutMillis());
      return codec;
    }

    private static Http2Exception find(Throwable failure) {
      Throwable cause = failure;
      while (cause != null && !(cause instanceof Http2Exception)) cause = cause.getCause();
      return (Http2Exception) cause;
    }
  }
}
