package io.gatehouse.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * An HTTPS server on 127.0.0.1:0 whose TLS is exactly the listener's: {@link ServerTlsOptions#serverContext()} on a
 * Netty pipeline with ALPN (HTTP/1.1 and HTTP/2). Answers "ok", or the client certificate's subject when there is one.
 */
final class TlsTestServer implements AutoCloseable {
  private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final AtomicReference<SslContext> tls = new AtomicReference<>();
  private final Channel listener;

  private TlsTestServer(ServerTlsOptions options) throws Exception {
    tls.set(options.serverContext());
    listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<>() {
          @Override protected void initChannel(Channel ch) {
            ch.pipeline().addLast(tls.get().newHandler(ch.alloc()));
            ch.pipeline().addLast(new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
              @Override protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                  ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().build());
                  ctx.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override protected void initChannel(Http2StreamChannel stream) {
                      stream.pipeline().addLast(new SimpleChannelInboundHandler<Http2HeadersFrame>() {
                        @Override protected void channelRead0(ChannelHandlerContext c, Http2HeadersFrame frame) {
                          c.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
                          c.writeAndFlush(new DefaultHttp2DataFrame(body(ch), true));
                        }
                      });
                    }
                  }));
                } else {
                  ctx.pipeline().addLast(new HttpServerCodec());
                  ctx.pipeline().addLast(new SimpleChannelInboundHandler<Object>() {
                    @Override protected void channelRead0(ChannelHandlerContext c, Object msg) {
                      if (!(msg instanceof HttpRequest)) return;
                      var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body(ch));
                      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                      c.writeAndFlush(response);
                    }
                  });
                }
              }
            });
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  private static io.netty.buffer.ByteBuf body(Channel connection) {
    String text = ClientCertificates.subjectOf(connection).orElse("ok");
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }

  /** Starts a server with {@code tls}; {@code vertx} is unused (kept so callers read as before). */
  static TlsTestServer start(Vertx vertx, ServerTlsOptions tls) {
    try {
      return new TlsTestServer(tls);
    } catch (Exception e) {
      throw new AssertionError("TLS test server did not start: " + e, e);
    }
  }

  int actualPort() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** What the gateway's listener does on a certificate reload: new connections get the new context. */
  Future<Void> updateSsl(ServerTlsOptions next) {
    try {
      tls.set(next.serverContext());
      return Future.succeededFuture();
    } catch (SSLException | RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override public void close() {
    listener.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete: " + e, e);
    }
  }

}
