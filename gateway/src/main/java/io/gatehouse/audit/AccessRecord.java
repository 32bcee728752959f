package io.gatehouse.audit;

import io.gatehouse.audit.canonical.CanonicalFields;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.Identity;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one request, as the audit log keeps it (DESIGN.md §1): who asked for what, and what the gateway
 * did about it; the {@code request} entry of docs/audit-log.md. Immutable, so it can cross from the event loop to the writer thread without copying. Never holds
 * a body, a header value or a raw query: the query must already have gone through {@link QueryRedactor}.
 *
 * @param time when the request arrived (the log is in completion order, so times are not strictly increasing)
 * @param route the matched route's name; null when nothing matched
 * @param clientIp the resolved client address (socket peer, or X-Forwarded-For hop behind a trusted proxy)
 * @param identity the authenticated subject, never a display name or e-mail; null when anonymous
 * @param path the normalized path: the one that was matched and forwarded
 * @param query the redacted query without {@code ?}; null when there was none
 * @param status the status sent to the client (0 when the connection dropped before a response started)
 * @param reason why the request was refused or failed; {@link Reason#NONE} when it went through
 * @param detail why it was refused or cut, for auditors only (never sent to the client); null when allowed
 * @param upstream the upstream target ({@code host:port}) the request went to; null when it was not forwarded
 * @param tlsClientSubject the verified mTLS client certificate's subject DN; null without one
 */
public record AccessRecord(
    Instant time,
    String requestId,
    String route,
    String clientIp,
    String identity,
    String method,
    String path,
    String query,
    int status,
    long bytesIn,
    long bytesOut,
    long latencyMicros,
    Reason reason,
    String detail,
    String upstream,
    String tlsClientSubject) implements AuditEvent {

  public AccessRecord {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }

  /** Derived from {@link #reason()} so the two can never disagree. */
  public Decision decision() {
    return Decision.of(reason);
  }

  /**
   * The record of a finished exchange. Call it once the response has ended (or the connection dropped), on the
   * exchange's event loop; the query is redacted here so no caller can forget to.
   */
  public static AccessRecord of(Exchange exchange) {
    InetAddress client = exchange.clientAddress();
    return new AccessRecord(
        exchange.startedAt(),
        exchange.requestId(),
        exchange.route().map(Route::name).orElse(null),
        client == null ? null : client.getHostAddress(),
        exchange.identity().map(Identity::subject).orElse(null),
        exchange.request().method().name(),
        exchange.path(),
        QueryRedactor.redact(exchange.query(), exchange.route().map(r -> r.audit().logQuery()).orElse(java.util.Set.of())),
        exchange.status(),
        exchange.bytesIn(),
        exchange.bytesOut(),
        exchange.elapsedMicros(),
        exchange.reason(),
        exchange.detail(),
        exchange.upstreamTarget().orElse(null),
        exchange.clientCertificateSubject().orElse(null));
  }

  @Override
  public String kind() {
    return "request";
  }

  @Override
  public void writeFields(CanonicalFields out) {
    out.put("request_id", requestId)
        .put("route", route)
        .put("client_ip", clientIp)
        .put("identity", identity)
        .put("method", method)
        .put("path", path)
        .put("query", query)
        .put("status", status)
        .put("bytes_in", bytesIn)
        .put("bytes_out", bytesOut)
        .put("latency_us", latencyMicros)
        .put("decision", decision().code())
        .put("reason", reason.code())
        .put("detail", detail)
        .put("upstream", upstream)
        .put("tls_client_subject", tlsClientSubject);
  }
}
