package io.gatehouse.server;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.config.HostPort;
import io.gatehouse.forward.HttpForwarder;
import io.gatehouse.forward.WebSocketTunnel;
import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.core.Future;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
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
  private final HeaderTimeouts headerTimeouts;
  private final GatewayMetrics metrics;
  private final int instances;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  private final ClosingConnections closing = new ClosingConnections();

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
      Duration requestHeaderTimeout,
      GatewayMetrics metrics,
      int instances) {
    this.vertx = vertx;
    this.options = options;
    RefusalResponder refusals = new RefusalResponder(closing);
    this.exchanges = new ExchangeHandler(state, forwarder, webSockets, recorder, refusals);
    this.invalidRequests = new InvalidRequestResponder(state, recorder, refusals);
    this.headerTimeouts = new HeaderTimeouts(vertx, requestHeaderTimeout);
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
      if (closing.contains(request.connection())) request.connection().close();
      else invalidRequests.handle(request);
    });
    server.exceptionHandler(this::connectionFailed);
    servers.add(server);
    return server;
  }

  private void connected(HttpConnection connection) {
    if (connection instanceof Http1xServerConnection http1) {
      // Runs before the first request byte is decoded: the pipeline was just built for this connection.
      http1.channel().pipeline().replace("httpDecoder", "httpDecoder", new StrictRequestDecoder(options));
    }
    UnacknowledgedSettingsLimits.apply(connection, options.getInitialSettings());
    metrics.connectionOpened();
    if (options.isSsl()) metrics.tlsHandshake(true);
    connection.closeHandler(v -> {
      headerTimeouts.forget(connection);
      metrics.connectionClosed();
    });
    // Armed for HTTP/2 too: a connection must bring its first request in time, whatever the protocol.
    headerTimeouts.arm(connection);
  }

  private void request(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (closing.contains(connection)) {
      connection.close();
      return;
    }
    headerTimeouts.disarm(connection);
    if (request.version() != HttpVersion.HTTP_2) {
      // HTTP/1.x reads the next request on the same connection: give its headers the same deadline.
      // Not after a 101: the connection is then a WebSocket tunnel, not a source of further requests.
      request.response().endHandler(v -> {
        if (request.response().getStatusCode() != 101) headerTimeouts.arm(connection);
      });
    }
    exchanges.handle(request);
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
