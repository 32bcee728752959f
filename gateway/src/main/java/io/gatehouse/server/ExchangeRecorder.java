package io.gatehouse.server;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.audit.AccessRecord;
import io.gatehouse.audit.capture.PayloadRecorder;
import io.gatehouse.audit.log.AuditLog;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.ExchangeObserver;
import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import io.gatehouse.http.ClientResponse;
import io.gatehouse.tls.ClientCertificates;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.util.function.Supplier;

/**
 * Opens an {@link Exchange} with the facts known at arrival and closes it with exactly one audit entry and
 * one metrics observation, whatever path the request took.
 */
public final class ExchangeRecorder {
  private static final AsciiString X_REQUEST_ID = AsciiString.cached("X-Request-Id");
  private static final AsciiString HSTS = AsciiString.cached("Strict-Transport-Security");
  private static final AsciiString HSTS_VALUE = AsciiString.cached("max-age=31536000; includeSubDomains");
  private static final AsciiString NOSNIFF = AsciiString.cached("X-Content-Type-Options");
  private static final AsciiString NOSNIFF_VALUE = AsciiString.cached("nosniff");
  private final AuditLog auditLog;
  private final GatewayMetrics metrics;
  private final PayloadRecorder payloads;
  private final Supplier<ExchangeObserver> observer;

  /** @param observer what learns from finished exchanges (lockout, anomaly detectors) under the config in force */
  public ExchangeRecorder(AuditLog auditLog, GatewayMetrics metrics, PayloadRecorder payloads,
      Supplier<ExchangeObserver> observer) {
    this.auditLog = auditLog;
    this.metrics = metrics;
    this.payloads = payloads;
    this.observer = observer;
  }

  /**
   * A new exchange: request id, client address, gateway response headers, mTLS subject; in flight on its connection
   * (whose timer enforces its deadlines) until {@link #finish}.
   */
  Exchange begin(ClientStream request, GatewayState state, ClientConnection client) {
    InetAddress peer = client.peer();
    boolean trustedPeer = state.clientAddresses().isTrusted(peer);
    String requestId = RequestIds.pick(trustedPeer ? request.headers().get(X_REQUEST_ID) : null);
    Exchange exchange = new Exchange(requestId, request, client);
    client.requestStarted(exchange);
    // Until the path is normalized, the audit log shows the raw one (never the query, which may hold secrets).
    exchange.path(rawPath(request.uri()));
    exchange.clientAddress(state.clientAddresses().resolve(peer, request.headers().getAll("X-Forwarded-For")));
    // Only with mTLS on: without a client certificate the lookup throws, which is a cost on every request.
    if (state.config().server().tls().clientCa().isPresent()) {
      ClientCertificates.subjectOf(client.channel()).ifPresent(exchange::clientCertificateSubject);
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

  /** Starts tapping the bodies of an exchange about to be forwarded, when its route logs payloads. */
  void capturePayloads(Exchange exchange, Route route, GatewayState state) {
    payloads.open(exchange, route.logPayloads(), state.scrubber().orElse(null));
  }

  /** Whether the audit log is taking entries (a volatile read or two: per request). */
  boolean auditWritable() {
    return auditLog.writable();
  }

  /**
   * Writes the record. {@code detail} is why a request was refused or cut, for the audit log only.
   */
  public void finish(Exchange exchange, String detail) {
    if (!exchange.markFinished()) return;
    ClientStream.of(exchange.request()).connection.requestEnded(exchange);
    if (detail != null) exchange.detail(detail);
    if (exchange.status() == 0) {
      // A client that left before any answer was sent gets nginx's 499, whichever stage noticed it.
      ClientResponse response = exchange.request().response();
      boolean unanswered = exchange.reason() == Reason.CLIENT_CLOSED && !response.headWritten();
      exchange.status(unanswered ? Reason.CLIENT_CLOSED.status() : response.status());
    }
    // A 5xx tells a webhook sender to retry; losing its event to a 409 on that retry would be worse than a
    // duplicate, which n8n workflows keyed on the delivery id already absorb.
    if (exchange.status() >= 500) exchange.deliveryFailed();
    String route = exchange.route().map(Route::name).orElse(null);
    metrics.requestCompleted(route, exchange.status(), exchange.reason(), exchange.elapsedMicros());
    auditLog.write(AccessRecord.of(exchange));
    // After the request entry, which the payload entries name.
    payloads.record(exchange);
    observer.get().completed(ExchangeOutcome.of(exchange));
  }

  /** Set before anything else, so refusals and forwarded responses alike carry them. */
  private static void addGatewayHeaders(ClientResponse response, String requestId) {
    response.headers()
        .set(X_REQUEST_ID, requestId)
        .set(HSTS, HSTS_VALUE)
        .set(NOSNIFF, NOSNIFF_VALUE);
  }
}
