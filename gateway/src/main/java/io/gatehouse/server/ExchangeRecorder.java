package io.gatehouse.server;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.audit.AccessLogWriter;
import io.gatehouse.audit.AccessRecord;
import io.gatehouse.guard.Reason;
import io.gatehouse.route.Exchange;
import io.gatehouse.route.Route;
import io.gatehouse.tls.ClientCertificates;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.InetAddress;

/**
 * Opens an {@link Exchange} with the facts known at arrival and closes it with exactly one access record and
 * one metrics observation, whatever path the request took.
 */
public final class ExchangeRecorder {
  private final AccessLogWriter accessLog;
  private final GatewayMetrics metrics;
  private final String replica;

  public ExchangeRecorder(AccessLogWriter accessLog, GatewayMetrics metrics, String replica) {
    this.accessLog = accessLog;
    this.metrics = metrics;
    this.replica = replica;
  }

  /**
   * A new exchange: request id, client address, gateway response headers, mTLS subject; in flight on its connection
   * (whose timer enforces its deadlines) until {@link #finish}.
   */
  Exchange begin(HttpServerRequest request, GatewayState state, ClientConnection client) {
    InetAddress peer = client.peer();
    boolean trustedPeer = state.clientAddresses().isTrusted(peer);
    String requestId = RequestIds.pick(trustedPeer ? request.getHeader("X-Request-Id") : null);
    Exchange exchange = new Exchange(requestId, request, client);
    client.requestStarted(exchange);
    // Until the path is normalized, the audit log shows the raw one (never the query, which may hold secrets).
    exchange.path(rawPath(request.uri()));
    exchange.clientAddress(state.clientAddresses().resolve(peer, request.headers().getAll("X-Forwarded-For")));
    // Only with mTLS on: without a client certificate the lookup throws, which is a cost on every request.
    if (state.config().server().tls().clientCa().isPresent()) {
      ClientCertificates.subjectOf(request).ifPresent(exchange::clientCertificateSubject);
    }
    addGatewayHeaders(request.response(), requestId);
    return exchange;
  }

  private static String rawPath(String uri) {
    if (uri == null) return "";
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    return path.length() > 512 ? path.substring(0, 512) : path;
  }

  /**
   * Writes the record. {@code detail} is why a request was refused or cut, for the audit log only.
   */
  public void finish(Exchange exchange, String detail) {
    if (!exchange.markFinished()) return;
    ClientConnection.of(exchange.request().connection()).requestEnded(exchange);
    if (detail != null) exchange.detail(detail);
    if (exchange.status() == 0) {
      // A client that left before any answer was sent gets nginx's 499, whichever stage noticed it.
      boolean unanswered = exchange.reason() == Reason.CLIENT_CLOSED && !exchange.request().response().headWritten();
      exchange.status(unanswered ? Reason.CLIENT_CLOSED.status() : exchange.request().response().getStatusCode());
    }
    // A 5xx tells a webhook sender to retry; losing its event to a 409 on that retry would be worse than a
    // duplicate, which n8n workflows keyed on the delivery id already absorb.
    if (exchange.status() >= 500) exchange.deliveryFailed();
    String route = exchange.route().map(Route::name).orElse(null);
    metrics.requestCompleted(route, exchange.status(), exchange.reason(), exchange.elapsedMicros());
    accessLog.write(AccessRecord.of(exchange, replica));
  }



  /** Set before anything else, so refusals and forwarded responses alike carry them. */
  private static void addGatewayHeaders(HttpServerResponse response, String requestId) {
    response.putHeader("X-Request-Id", requestId);
    response.putHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    response.putHeader("X-Content-Type-Options", "nosniff");
  }
}
