package io.gatehouse.server;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.config.HostPort;
import io.gatehouse.forward.HttpForwarder;
import io.gatehouse.forward.WebSocketTunnel;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Future;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.net.ServerSSLOptions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The public listener. One Vert.x server per event loop, all on one port (Vert.x balances accepted
 * connections between them), so every core serves requests.
 */
public final class GatewayServer {
  private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());

  private final Vertx vertx;
  private final HttpServerOptions options;
  private final ExchangeHandler exchanges;
  private final InvalidRequestResponder invalidRequests;
  private final Supplier<GatewayState> state;
  private final ConnectionLimits limits;
  private final GatewayMetrics metrics;
  private final int instances;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final ThrottledLog refusedConnections = new ThrottledLog(LOG);

  /**
   * @param instances how many server instances (event loops) share the port
   */
  public GatewayServer(
      Vertx vertx,
      HttpServerOptions options,
      Supplier<GatewayState> state,
      HttpForwarder forwarder,
      WebSocketTunnel webSockets,
      ExchangeRecorder recorder,
      GatewayMetrics metrics,
      int instances) {
    this.vertx = vertx;
    this.options = options;
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
    this.instances = Math.max(1, instances);
  }

  /**
   * Binds every instance, each on an event loop of its own; completes with the actual port (the configured one,
   * or the OS's choice for 0).
   */
  public Future<Integer> start(HostPort listen) {
    // Vert.x shares one OS-chosen port among servers that listen on the same negative port; port 0 would give
    // each instance a port of its own.
    int bindPort = listen.port() == 0 ? -1 : listen.port();
    // A server created outside a verticle stays on the creating thread's one event loop; a verticle instance per
    // loop is Vert.x's way of spreading connections over every core.
    Supplier<VerticleBase> listener = () -> new VerticleBase() {
      @Override public Future<?> start() {
        return create().listen(bindPort, listen.host());
      }
    };
    return vertx.deployVerticle(listener, new DeploymentOptions().setInstances(instances)).map(id -> {
      int port = servers.get(0).actualPort();
      LOG.log(System.Logger.Level.INFO, "listening on {0}:{1} ({2} event loops)", listen.host(), Integer.toString(port), instances);
      return port;
    });
  }

  private HttpServer create() {
    HttpServer server = vertx.createHttpServer(options);
    server.connectionHandler(this::connected);
    server.requestHandler(this::request);
    server.invalidRequestHandler(request -> {
      ClientConnection client = ClientConnection.of(request.connection());
      if (client.closing()) request.connection().close();
      else invalidRequests.handle(request, client);
    });
    server.exceptionHandler(this::connectionFailed);
    servers.add(server);
    return server;
  }

  private void connected(HttpConnection connection) {
    boolean http1 = connection instanceof Http1xServerConnection;
    ClientConnection client =
        ClientConnection.attach(connection, vertx, () -> state.get().config().server().timeouts(), !http1);
    Channel channel = ClientConnection.channel(connection);
    ConnectionLimits.Refusal refusal = limits.admit(client.peer());
    // The one cleanup, for every way the connection ends: Vert.x's closeHandler is a single slot that a refusal or a
    // WebSocket upgrade would replace (the gauge then only rose), and it does not fire once a tunnel took the channel.
    channel.closeFuture().addListener(f -> {
      client.closed();
      if (refusal == null) {
        limits.release(client.peer());
        metrics.connectionClosed();
      }
    });
    if (refusal != null) {
      refused(client, refusal);
      return;
    }
    if (http1) {
      // Runs before the first request byte is decoded: the pipeline was just built for this connection. max_body is
      // read per connection, so a reload applies to connections opened after it.
      channel.pipeline().replace("httpDecoder", "httpDecoder",
          new StrictRequestDecoder(options, state.get().forwardSettings().maxBody(), client::headBytesArrived));
      channel.pipeline().addAfter("httpDecoder", "flushBeforeClose", new FlushBeforeClose());
    }
    consolidateFlushes(channel);
    UnacknowledgedSettingsLimits.apply(connection, options.getInitialSettings());
    metrics.connectionOpened();
    if (options.isSsl()) metrics.tlsHandshake(true);
  }

  /**
   * Vert.x flushes every write to a connection that is not reading at that moment, and a proxied response is written
   * while the upstream connection reads: head, body chunks and end each became a TLS record and a syscall (HTTP/2:
   * HEADERS and each DATA frame). Deferred to the end of the event-loop turn, the writes of one upstream read go out
   * in one flush, which TLS wraps in as few records as fit. Placed next to TLS (or first, without it), below every
   * handler that flushes.
   */
  private static void consolidateFlushes(Channel channel) {
    FlushConsolidationHandler consolidation =
        new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
    if (channel.pipeline().get(SslHandler.class) != null) {
      channel.pipeline().addAfter(channel.pipeline().context(SslHandler.class).name(), "flushConsolidation", consolidation);
    } else {
      channel.pipeline().addFirst("flushConsolidation", consolidation);
    }
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
    client.connection().close();
  }

  private void request(HttpServerRequest request) {
    ClientConnection client = ClientConnection.of(request.connection());
    if (client.closing()) {
      request.connection().close();
      return;
    }
    exchanges.handle(request, client);
  }

  private void connectionFailed(Throwable failure) {
    Throwable cause = failure;
    while (cause != null && !(cause instanceof SSLException)) cause = cause.getCause();
    if (cause != null) metrics.tlsHandshake(false);
    // Netty reports an HTTP/2 connection error here just before it writes the GOAWAY with the same code; stream
    // errors (a RST_STREAM) go to the stream and are not counted.
    cause = failure;
    while (cause != null && !(cause instanceof Http2Exception)) cause = cause.getCause();
    if (cause instanceof Http2Exception http2 && !(http2 instanceof Http2Exception.StreamException)) {
      metrics.http2Error(http2.error().name().toLowerCase(Locale.ROOT));
    }
  }

  /** Swaps the certificate for new connections; existing ones keep theirs. */
  public Future<Void> updateSsl(ServerSSLOptions ssl) {
    List<Future<Boolean>> updates = servers.stream().map(s -> s.updateSSLOptions(ssl, true)).toList();
    return Future.all(updates).mapEmpty();
  }

  /** Stops accepting, lets in-flight requests finish for up to {@code grace}, then closes what is left. */
  public Future<Void> shutdown(Duration grace) {
    List<Future<Void>> stops = servers.stream().map(s -> s.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS)).toList();
    return Future.join(stops).mapEmpty();
  }
}
