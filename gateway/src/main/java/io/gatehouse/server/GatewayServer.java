package io.gatehouse.server;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.config.HostPort;
import io.gatehouse.forward.HttpForwarder;
import io.gatehouse.forward.WebSocketTunnel;
import io.gatehouse.tls.ServerTlsOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The public listener, written on Netty and run on Vert.x's event loops: TLS with ALPN, then HTTP/1.1
 * ({@link Http1Connection}) or HTTP/2 ({@link Http2Connections}), each request handed to the {@link ExchangeHandler}.
 *
 * <p>Why not Vert.x's HTTP server: it was most of the gap to nginx (loadtest/README.md, "Where the time and the memory
 * go"). A raw-Netty proxy doing the same work spent about 42 µs of CPU per proxied 1 KiB request where the gateway on
 * Vert.x spent 62. Vert.x keeps everything that is not the data path (the admin server, timers, the Redis client, the
 * reloader), and every request is handled in its event loop's Vert.x context, so guards use Vert.x futures as before.
 */
public final class GatewayServer {
  private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());
  /** One limit for the request line: PathNormalizer caps targets at 8 KiB, so a longer line is 431 here. */
  static final int MAX_INITIAL_LINE = 8 * 1024;
  static final int MAX_HEADER_SIZE = 32 * 1024;
  /**
   * When a connection (or an HTTP/2 stream) stops taking a response's bytes: above 128 KiB written and not yet sent.
   * Netty's default of 64 KiB flipped at every 64 KiB chunk of n8n's body, written and flushed at the end of the turn,
   * and each flip paused and resumed the upstream connection's reads (two epoll_ctl calls per chunk).
   */
  static final WriteBufferWaterMark WRITE_BUFFER = new WriteBufferWaterMark(64 * 1024, 128 * 1024);

  private final VertxInternal vertx;
  private final Supplier<GatewayState> state;
  private final ExchangeHandler exchanges;
  private final InvalidRequestResponder invalidRequests;
  private final ConnectionLimits limits;
  private final GatewayMetrics metrics;
  private final Http2Connections http2;
  private final AtomicReference<SslContext> tls = new AtomicReference<>();
  private final ConcurrentMap<EventLoop, ContextInternal> contexts = new ConcurrentHashMap<>();
  private final ChannelGroup open = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE, true);
  private final ThrottledLog refusedConnections = new ThrottledLog(LOG);
  private final RequestSink requests;
  private Channel listener;
  private volatile boolean shuttingDown;

  public GatewayServer(
      Vertx vertx,
      ServerTlsOptions tlsOptions,
      Supplier<GatewayState> state,
      HttpForwarder forwarder,
      WebSocketTunnel webSockets,
      ExchangeRecorder recorder,
      GatewayMetrics metrics) throws SSLException {
    this.vertx = (VertxInternal) vertx;
    this.state = state;
    RefusalResponder refusals = new RefusalResponder();
    this.exchanges = new ExchangeHandler(state, forwarder, webSockets, recorder, refusals, metrics);
    this.invalidRequests = new InvalidRequestResponder(state, recorder, refusals);
    int defaultMaxConnections = ConnectionLimits.defaultMaxConnections();
    this.limits = new ConnectionLimits(
        () -> state.get().config().server().maxConnections().orElse(defaultMaxConnections),
        () -> state.get().config().server().maxConnectionsPerIp(),
        peer -> state.get().clientAddresses().isTrusted(peer));
    this.metrics = metrics;
    this.http2 = new Http2Connections(metrics);
    this.requests = new RequestSink() {
      @Override public void request(ClientStream stream, ClientConnection client) {
        exchanges.handle(stream, client);
      }

      @Override public void invalid(ClientStream stream, ClientConnection client, Throwable cause) {
        invalidRequests.handle(stream, client, cause);
      }
    };
    this.tls.set(tlsOptions.serverContext());
    tlsOptions.logInUse();
  }

  /** Binds the port; completes with the actual port (the configured one, or the OS's choice for 0). */
  public Future<Integer> start(HostPort listen) {
    Promise<Integer> bound = Promise.promise();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(vertx.acceptorEventLoopGroup(), vertx.nettyEventLoopGroup())
        .channelFactory(vertx.transport().serverChannelFactory(false))
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_BUFFER)
        .childHandler(new ChannelInitializer<>() {
          @Override protected void initChannel(Channel channel) {
            accepted(channel);
          }
        });
    bootstrap.bind(listen.host(), listen.port()).addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        bound.fail(f.cause());
        return;
      }
      listener = f.channel();
      int port = ((InetSocketAddress) listener.localAddress()).getPort();
      LOG.log(System.Logger.Level.INFO, "listening on {0}:{1} ({2} event loops)", listen.host(), Integer.toString(port),
          Integer.toString(loopCount()));
      bound.complete(port);
    });
    return bound.future();
  }

  private int loopCount() {
    int n = 0;
    for (var ignored : vertx.nettyEventLoopGroup()) n++;
    return n;
  }

  /** A Vert.x context per event loop: what the requests of that loop's connections run in. */
  private ContextInternal contextOf(EventLoop loop) {
    ContextInternal context = contexts.get(loop);
    return context != null ? context : contexts.computeIfAbsent(loop, l -> vertx.contextBuilder().withEventLoop(l).build());
  }

  private void accepted(Channel channel) {
    ContextInternal context = contextOf(channel.eventLoop());
    ClientConnection client = ClientConnection.attach(channel, context, () -> state.get().config().server().timeouts());
    channel.closeFuture().addListener(f -> client.closed());
    open.add(channel);
    if (!admittedPeer(channel, client)) return;
    SslHandler ssl = tls.get().newHandler(channel.alloc());
    // Until the handshake is done the connection is in its first phase, whose limit is request_header.
    ssl.setHandshakeTimeoutMillis(state.get().config().server().timeouts().requestHeader().toMillis());
    channel.pipeline().addLast("linger", new LingeringClose(client::sendingClosed));
    channel.pipeline().addLast("tls", ssl);
    channel.pipeline().addLast("flushConsolidation", consolidatedFlushes());
    channel.pipeline().addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
      @Override protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        metrics.tlsHandshake(true);
        if (!admitted(channel, client)) return;
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
          client.http2();
          http2.configure(ctx.pipeline(), client, context, requests);
        } else {
          ctx.pipeline().addLast("httpDecoder", new StrictRequestDecoder(decoderConfig(),
              state.get().forwardSettings().maxBody(), client::headBytesArrived));
          ctx.pipeline().addLast("httpEncoder", new HttpResponseEncoder());
          ctx.pipeline().addLast("exchanges", new Http1Connection(client, context, requests));
        }
      }

      @Override protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        metrics.tlsHandshake(false);
        ctx.close();
      }
    });
  }

  /**
   * Counts a connection just accepted against {@code max_connections_per_ip}, before its TLS handshake; false, with
   * the connection closing, when it is over.
   */
  private boolean admittedPeer(Channel channel, ClientConnection client) {
    ConnectionLimits.Refusal refusal = shuttingDown ? ConnectionLimits.Refusal.TOTAL
        : limits.admitPeer(client.peer()) ? null : ConnectionLimits.Refusal.PER_IP;
    if (refusal != null) {
      refused(client, refusal);
      channel.close();
      return false;
    }
    channel.closeFuture().addListener(f -> limits.releasePeer(client.peer()));
    return true;
  }

  /**
   * Counts a connection whose handshake is done against {@code max_connections}, as {@code gatehouse_open_connections}
   * does (see {@link ConnectionLimits#admitTotal}); false, with the connection closing, when it is over.
   */
  private boolean admitted(Channel channel, ClientConnection client) {
    if (shuttingDown || !limits.admitTotal()) {
      refused(client, ConnectionLimits.Refusal.TOTAL);
      channel.close();
      return false;
    }
    metrics.connectionOpened();
    // The one cleanup, for every way the connection ends (a refusal, an error, a timeout, a WebSocket tunnel).
    channel.closeFuture().addListener(f -> {
      limits.releaseTotal();
      metrics.connectionClosed();
    });
    return true;
  }

  /**
   * Writes are flushed at the end of the event-loop turn, not one by one: the head and body chunks of one upstream read
   * go out in one flush, which TLS wraps in as few records as fit (HTTP/2: HEADERS and DATA frames). Placed next to
   * TLS, below every handler that flushes; it also flushes before a close, so a refusal written just before is sent.
   */
  private static FlushConsolidationHandler consolidatedFlushes() {
    return new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
  }

  /** max_body is read per connection, so a reload applies to connections opened after it. */
  private static HttpDecoderConfig decoderConfig() {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(MAX_INITIAL_LINE)
        .setMaxHeaderSize(MAX_HEADER_SIZE)
        .setMaxChunkSize(64 * 1024);
  }

  /** Over a connection limit: counted, logged (throttled) and closed before anything of it is read. */
  private void refused(ClientConnection client, ConnectionLimits.Refusal refusal) {
    String limit = refusal.name().toLowerCase(Locale.ROOT);
    metrics.connectionRefused(limit);
    String key = refusal == ConnectionLimits.Refusal.TOTAL ? "max_connections" : "max_connections_per_ip";
    refusedConnections.log(limit, System.Logger.Level.WARNING, suppressed -> "connection from "
        + client.peer().getHostAddress() + " closed on arrival: over server." + key + " (" + suppressed
        + " more not logged in the last 10 s)");
    client.markClosing();
  }

  /** Swaps the certificate for new connections; existing ones keep theirs. Fails if the engine refuses it. */
  public Future<Void> updateSsl(ServerTlsOptions next) {
    try {
      tls.set(next.serverContext());
      return Future.succeededFuture();
    } catch (SSLException | RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Stops accepting and lets in-flight requests finish for up to {@code grace}: idle HTTP/1.x connections close now,
   * busy ones after their response (sent with {@code Connection: close}); HTTP/2 connections get GOAWAY and close once
   * their streams are done. Whatever is left after {@code grace} is closed.
   */
  public Future<Void> shutdown(Duration grace) {
    shuttingDown = true;
    Promise<Void> done = Promise.promise();
    Future<Void> unbound = listener == null ? Future.succeededFuture() : closeFuture(listener.close());
    unbound.onComplete(v -> {
      for (Channel channel : open) channel.eventLoop().execute(() -> drain(channel, grace));
      GlobalEventExecutor.INSTANCE.schedule(() -> {
        open.close().addListener(f -> done.tryComplete());
      }, grace.toMillis(), TimeUnit.MILLISECONDS);
      waitUntilEmpty(done);
    });
    return done.future();
  }

  private void drain(Channel channel, Duration grace) {
    ClientConnection client = ClientConnection.of(channel);
    if (client == null) {
      channel.close();
      return;
    }
    Http2FrameCodec codec = channel.pipeline().get(Http2FrameCodec.class);
    if (codec != null) {
      codec.gracefulShutdownTimeoutMillis(grace.toMillis());
      channel.close();
    } else {
      client.drain();
    }
  }

  private void waitUntilEmpty(Promise<Void> done) {
    if (open.isEmpty()) {
      done.tryComplete();
      return;
    }
    GlobalEventExecutor.INSTANCE.schedule(() -> waitUntilEmpty(done), 20, TimeUnit.MILLISECONDS);
  }

  private static Future<Void> closeFuture(ChannelFuture close) {
    Promise<Void> promise = Promise.promise();
    close.addListener(f -> promise.tryComplete());
    return promise.future();
  }
}
