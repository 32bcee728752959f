package io.gatehouse.forward;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.LogEvent;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.Identity;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import io.gatehouse.http.ClientRequest;
import io.gatehouse.http.ClientResponse;
import io.gatehouse.http.RawStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Passes a WebSocket handshake (n8n's {@code /rest/push}) to n8n and, once n8n answers 101, splices the two
 * TCP streams ({@link WebSocketSplice}). n8n's frames are relayed as they are, so extensions such as
 * permessage-deflate stay end-to-end; the gateway only adds its own PINGs toward a silent client, between frames, and
 * takes out the PONGs that answer them. A refusal by n8n (401, 403, 400) is relayed as an ordinary response.
 *
 * <p>The browser's {@code Origin} is passed unchanged: n8n compares it with {@code X-Forwarded-Host}, which the
 * gateway sets to the public URL's host, so only pages served from that URL can open the push channel.
 */
public final class WebSocketTunnel {
  private final Vertx vertx;
  private final UpstreamClients clients;
  private final UpstreamConnector connector;
  private final GatewayMetrics metrics;
  private final Consumer<AuditEvent> auditLog;

  /** @param auditLog where the {@code websocket} open and close entries go */
  public WebSocketTunnel(Vertx vertx, UpstreamClients clients, GatewayMetrics metrics, Consumer<AuditEvent> auditLog) {
    this.auditLog = auditLog;
    this.vertx = vertx;
    this.clients = clients;
    this.connector = new UpstreamConnector(metrics);
    this.metrics = metrics;
  }

  /** Completes when both sides have closed, or fails with an {@link UpstreamFailure}. */
  public Future<Void> tunnel(Exchange exchange, UpstreamPool pool, ForwardSettings settings) {
    ClientRequest request = exchange.request();
    String uri = exchange.query() == null ? exchange.path() : exchange.path() + "?" + exchange.query();
    return connector.open(exchange, pool, settings, (target, wait) -> clients.request(target, HttpMethod.GET, uri, wait))
        .compose(upstream -> {
          if (exchange.finished() || request.response().closed()) {
            upstream.reset();
            return Future.failedFuture(new UpstreamFailure(Reason.CLIENT_CLOSED, true, "ended before forwarding"));
          }
          ForwardedHeaders.copyRequest(new HeadersAdaptor(request.headers()), upstream.headers(), true, exchange, settings);
          ForwardedHeaders.setGatewayOwned(upstream.headers(), exchange, settings);
          // After a 101 the request never "ends": when the spliced socket closes, Vert.x fails it with "Connection
          // was closed" and, without a handler, logs that at ERROR for every push channel that closes. Failures
          // before the 101 reach us through connect()'s future; after it, through the sockets' close handlers.
          upstream.exceptionHandler(e -> { });
          exchange.deadline().start(settings.responseTimeout(), () -> {
            metrics.timedOut("upstream_response");
            upstream.connection().close();
          });
          return upstream.connect()
              .recover(e -> Future.failedFuture(new UpstreamFailure(Reason.UPSTREAM_UNAVAILABLE, false, "handshake failed")));
        })
        .compose(upstreamResponse -> upstreamResponse.statusCode() == 101
            ? splice(exchange, upstreamResponse, settings)
            : relayRefusal(exchange, upstreamResponse));
  }

  private Future<Void> splice(Exchange exchange, HttpClientResponse upstreamResponse, ForwardSettings settings) {
    ClientRequest request = exchange.request();
    NetSocket upstreamSocket = upstreamResponse.netSocket();
    if (request.response().closed()) {
      upstreamSocket.close();
      return Future.failedFuture(new UpstreamFailure(Reason.CLIENT_CLOSED, true, "client closed before the 101"));
    }
    request.response().status(101);
    exchange.status(101);
    ForwardedHeaders.copyResponse(upstreamResponse.headers(), new HeadersAdaptor(request.response().headers()), true);
    exchange.responseHeaders().addTo(request.response().headers()::add);
    // From here the two sides' close handlers tell how the tunnel ends.
    RawStream clientSide = request.switchProtocols();
    metrics.webSocketOpened();
    // An entry when it opens, not only when it ends: an editor's push channel can stay open for hours.
    Instant opened = Instant.now();
    auditLog.accept(webSocketEvent("open", exchange, opened, null));
    return new WebSocketSplice(vertx, exchange, clientSide, new NetSocketStream(upstreamSocket), settings.tunnelPingInterval())
        .run(settings.tunnelIdleTimeout(), metrics)
        .onComplete(v -> {
          metrics.webSocketClosed();
          auditLog.accept(webSocketEvent("close", exchange, Instant.now(), Duration.between(opened, Instant.now())));
        });
  }

  private static LogEvent webSocketEvent(String event, Exchange exchange, Instant time, Duration open) {
    InetAddress client = exchange.clientAddress();
    return LogEvent.of("websocket", time,
        "event", event,
        "request_id", exchange.requestId(),
        "path", exchange.path(),
        "route", exchange.route().map(Route::name).orElse(null),
        "client_ip", client == null ? null : client.getHostAddress(),
        "identity", exchange.identity().map(Identity::subject).orElse(null),
        "bytes_in", open == null ? null : exchange.bytesIn(),
        "bytes_out", open == null ? null : exchange.bytesOut(),
        "duration_ms", open == null ? null : open.toMillis());
  }

  private Future<Void> relayRefusal(Exchange exchange, HttpClientResponse upstreamResponse) {
    exchange.deadline().clear();
    ClientResponse response = exchange.request().response();
    response.status(upstreamResponse.statusCode());
    exchange.status(upstreamResponse.statusCode());
    ForwardedHeaders.copyResponse(upstreamResponse.headers(), new HeadersAdaptor(response.headers()), false);
    exchange.responseHeaders().addTo(response.headers()::add);
    // Read whole: Vert.x has already taken in this answer to a connect() by the time it is handed over (streaming it
    // lost the body). It is n8n's short refusal of a handshake, not a client's body.
    return upstreamResponse.body().compose(body -> {
      exchange.addBytesOut(body.length());
      return response.end(Unpooled.wrappedBuffer(body.getBytes()));
    });
  }
}
