package io.gatehouse.admin;

import io.gatehouse.alert.AlertEvents;
import io.gatehouse.alert.AlertType;
import io.gatehouse.audit.AuditLogEvents;
import io.gatehouse.audit.Decision;
import io.gatehouse.audit.capture.BodyPart;
import io.gatehouse.audit.capture.PayloadEvents;
import io.gatehouse.audit.scrub.PhiType;
import io.gatehouse.audit.syslog.SyslogEvents;
import io.gatehouse.core.Reason;
import io.gatehouse.guard.lockout.LockoutEvents;
import io.gatehouse.guard.ratelimit.RateLimitEvents;
import io.gatehouse.guard.signature.WebhookSignatureEvents;
import io.gatehouse.sso.web.SsoEvents;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's Prometheus metrics, one instance per gateway with its own registry (never the client's static
 * default registry, so several gateways can run in one JVM, as tests do). Methods are named for what happened
 * and are cheap enough for the request path: the client keeps one data point per label combination.
 *
 * <p>Label values come only from bounded sets: configured route and upstream names, HTTP status codes,
 * {@link Reason} codes and small enums, and the webhook paths written in the config. Never a request's path, a
 * client address or an identity.
 */
public final class GatewayMetrics
    implements AuditLogEvents, SyslogEvents, WebhookSignatureEvents, SsoEvents, PayloadEvents, RateLimitEvents,
    LockoutEvents, AlertEvents {
  /** The content type of {@link #scrape()}: Prometheus text format 0.0.4. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  /** Label value for a request that matched no route. */
  static final String NO_ROUTE = "none";

  /**
   * 0.5 ms (a refusal answered by the gateway itself) to 60 s (a long webhook run); roughly 1-2.5-5 steps so
   * quantiles are usable in both ranges. Slower requests land in +Inf.
   */
  private static final double[] LATENCY_BUCKETS_SECONDS = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter textFormat = PrometheusTextFormatWriter.create();

  // The client appends _total to counter names itself.
  private final Counter requests = Counter.builder()
      .name("gatehouse_requests_total")
      .help("Requests answered, by route, status, decision and reason code.")
      .labelNames("route", "status", "decision", "reason")
      .register(registry);
  private final Histogram requestDuration = Histogram.builder()
      .name("gatehouse_request_duration_seconds")
      .help("Time from request arrival to the end of the response, by route.")
      .labelNames("route")
      .classicOnly()
      .classicUpperBounds(LATENCY_BUCKETS_SECONDS)
      .register(registry);
  private final Counter upstreamErrors = Counter.builder()
      .name("gatehouse_upstream_errors_total")
      .help("Failed calls to an upstream pool, by kind (connect, timeout, reset).")
      .labelNames("upstream", "kind")
      .register(registry);
  private final Gauge openConnections = Gauge.builder()
      .name("gatehouse_open_connections")
      .help("Client connections currently open on the public listener.")
      .register(registry);
  private final Counter connectionsRefused = Counter.builder()
      .name("gatehouse_connections_refused_total")
      .help("Client connections closed on arrival, by limit (total: server.max_connections; per_ip:"
          + " server.max_connections_per_ip).")
      .labelNames("limit")
      .register(registry);
  private final Counter guardErrors = Counter.builder()
      .name("gatehouse_guard_errors_total")
      .help("Guards that failed instead of deciding (answered 500 guard_error), by route and guard.")
      .labelNames("route", "guard")
      .register(registry);
  private final Counter timeouts = Counter.builder()
      .name("gatehouse_timeouts_total")
      .help("Exchanges and connections ended by a deadline, by phase (request_stall, upstream_response, response_stall,"
          + " tunnel_idle); a buffered body too slow is requests_total{reason=\"request_timeout\"}.")
      .labelNames("phase")
      .register(registry);
  private final Gauge openWebSockets = Gauge.builder()
      .name("gatehouse_open_websockets")
      .help("WebSocket connections currently proxied.")
      .register(registry);
  private final Counter http2Errors = Counter.builder()
      .name("gatehouse_http2_errors_total")
      .help("HTTP/2 client connections the gateway ended with a GOAWAY for a protocol violation or abuse, by the"
          + " GOAWAY's error code (protocol_error, flow_control_error, compression_error, enhance_your_calm, ...).")
      .labelNames("kind")
      .register(registry);
  private final Counter tlsHandshakes = Counter.builder()
      .name("gatehouse_tls_handshakes_total")
      .help("TLS handshakes on the public listener, by result (ok, failed).")
      .labelNames("result")
      .register(registry);
  private final Counter ssoEvents = Counter.builder()
      .name("gatehouse_sso_events_total")
      .help("SSO events (login, logout, backchannel_logout, revalidation, step_up, revocation_shared), by outcome (ok or a short reason).")
      .labelNames("event", "outcome")
      .register(registry);
  private final Counter configReloads = Counter.builder()
      .name("gatehouse_config_reloads_total")
      .help("Configuration reloads, by result (ok, failed).")
      .labelNames("result")
      .register(registry);
  private final Counter certReloads = Counter.builder()
      .name("gatehouse_cert_reloads_total")
      .help("TLS certificate reloads, by result (ok, failed).")
      .labelNames("result")
      .register(registry);
  private final Counter auditDropped = Counter.builder()
      .name("gatehouse_audit_entries_dropped_total")
      .help("Audit entries not written because the writer's queue was full or the log was closed.")
      .register(registry);
  private final Counter auditWriteErrors = Counter.builder()
      .name("gatehouse_audit_write_errors_total")
      .help("Failed attempts to append to or sync the audit log (each is retried).")
      .register(registry);
  private final Counter auditWitnessErrors = Counter.builder()
      .name("gatehouse_audit_witness_errors_total")
      .help("Checkpoints that could not be copied to audit.witness.dir.")
      .register(registry);
  private final Counter auditSealed = Counter.builder()
      .name("gatehouse_audit_segments_sealed_total")
      .help("Audit segments sealed (rolled by size or age).")
      .register(registry);
  private final Counter payloads = Counter.builder()
      .name("gatehouse_audit_payloads_total")
      .help("Bodies of routes with log_payloads put in the audit log, by part (request, response) and outcome"
          + " (scrubbed, truncated, omitted: a type or encoding never read, busy: no scrubbing worker was free,"
          + " error: the scrubber failed; the last three log size and HMAC only).")
      .labelNames("part", "outcome")
      .register(registry);
  private final Counter redactions = Counter.builder()
      .name("gatehouse_audit_payload_redactions_total")
      .help("Values the PHI scrubber replaced in logged bodies, by identifier type.")
      .labelNames("type")
      .register(registry);
  private final Gauge auditWritable = Gauge.builder()
      .name("gatehouse_audit_writable")
      .help("1 while audit entries reach the disk, 0 while the log cannot be written (routes that fail closed answer 503).")
      .register(registry);
  private final Counter syslogSent = Counter.builder()
      .name("gatehouse_audit_syslog_sent_total")
      .help("Syslog messages written to the SIEM collector (a message resent after a broken connection counts again).")
      .register(registry);
  private final Counter syslogDropped = Counter.builder()
      .name("gatehouse_audit_syslog_dropped_total")
      .help("Syslog messages dropped because the forwarder's queue was full (the audit files still hold them).")
      .register(registry);
  private final Counter syslogConnectionFailures = Counter.builder()
      .name("gatehouse_audit_syslog_connection_failures_total")
      .help("Failed or broken connections to the SIEM collector.")
      .register(registry);
  private final Gauge syslogConnected = Gauge.builder()
      .name("gatehouse_audit_syslog_connected")
      .help("1 while a TLS connection to the SIEM collector is up.")
      .register(registry);
  private final Histogram auditCheckpointLatency = Histogram.builder()
      .name("gatehouse_audit_checkpoint_cover_seconds")
      .help("From an entry being written to its first signed checkpoint (the oldest entry a checkpoint newly covers).")
      .classicOnly()
      .classicUpperBounds(0.1, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 5.0, 10.0)
      .register(registry);

  private final Counter webhookVerifications = Counter.builder()
      .name("gatehouse_webhook_verifications_total")
      .help("Webhook deliveries checked, by configured webhook path (none: no entry) and result (ok, unchecked:"
          + " valid but the replay store was down, or the refusal's reason code).")
      .labelNames("webhook", "result")
      .register(registry);
  private final Counter replayStoreErrors = Counter.builder()
      .name("gatehouse_replay_store_errors_total")
      .help("Replay-store calls that failed or timed out, by store (local, redis).")
      .labelNames("store")
      .register(registry);
  private final Counter alerts = Counter.builder()
      .name("gatehouse_alerts_total")
      .help("Anomaly alerts raised, by type (auth_failures_source, auth_failures_user, refusal_spike, new_network,"
          + " off_hours_webhook) and route (none: no route); who and from where are in the audit log's alert entry.")
      .labelNames("type", "route")
      .register(registry);
  private final Counter alertDeliveries = Counter.builder()
      .name("gatehouse_alert_webhook_deliveries_total")
      .help("Alerts POSTed to alerts.webhook, by result (ok; failed: no 2xx after 3 attempts; dropped: never sent,"
          + " the sender's queue of 1,000 was full or it was stopping).")
      .labelNames("result")
      .register(registry);
  private final Counter alertOutcomesDropped = Counter.builder()
      .name("gatehouse_alert_outcomes_dropped_total")
      .help("Finished exchanges the anomaly detectors did not look at because their queue was full.")
      .register(registry);

  private final Counter rateLimitChecks = Counter.builder()
      .name("gatehouse_rate_limit_checks_total")
      .help("Requests checked against a route's rate limit, by route, key type (client_ip, identity, route, header)"
          + " and result (allowed, limited).")
      .labelNames("route", "key", "result")
      .register(registry);
  private final Counter rateLimitStoreErrors = Counter.builder()
      .name("gatehouse_rate_limit_store_errors_total")
      .help("Rate-limit checks the store could not answer, by store, route and what the route did (on_store_failure:"
          + " allow, deny).")
      .labelNames("store", "route", "policy")
      .register(registry);
  private final Counter rateLimitEvictions = Counter.builder()
      .name("gatehouse_rate_limit_buckets_evicted_total")
      .help("Local buckets dropped by the store's size bound before they were full again (their keys start afresh).")
      .register(registry);

  private final Counter lockoutsStarted = Counter.builder()
      .name("gatehouse_lockouts_total")
      .help("Lockouts started after failed authentications, by kind (source, identity).")
      .labelNames("kind")
      .register(registry);
  private final Counter lockoutStoreErrors = Counter.builder()
      .name("gatehouse_lockout_store_errors_total")
      .help("Failed authentications the shared lockout store could not count.")
      .register(registry);

  public GatewayMetrics() {
    // Show the ok/failed series at 0 from the start, so alerts on rate() work before the first event.
    for (String result : new String[] {"ok", "failed"}) {
      tlsHandshakes.initLabelValues(result);
      configReloads.initLabelValues(result);
      certReloads.initLabelValues(result);
    }
    for (String store : new String[] {"local", "redis"}) replayStoreErrors.initLabelValues(store);
    for (String kind : new String[] {"source", "identity"}) lockoutsStarted.initLabelValues(kind);
    for (String result : new String[] {AlertEvents.DELIVERED, AlertEvents.FAILED, AlertEvents.DROPPED}) {
      alertDeliveries.initLabelValues(result);
    }
    // The codes a flood or a malformed stream ends in, at 0 from the start for the same reason.
    for (String kind : new String[] {"protocol_error", "flow_control_error", "compression_error", "enhance_your_calm"}) {
      http2Errors.initLabelValues(kind);
    }
    auditWritable.set(1);
  }

  /**
   * One request has been answered (or its connection dropped).
   *
   * @param route the matched route's name, or null when none matched
   * @param status the status sent to the client
   * @param reason why it was refused or failed; {@link Reason#NONE} when it went through
   * @param micros time from arrival to the end of the response
   */
  public void requestCompleted(String route, int status, Reason reason, long micros) {
    String routeLabel = route == null ? NO_ROUTE : route;
    requests.labelValues(routeLabel, Integer.toString(status), Decision.of(reason).code(), reason.code()).inc();
    requestDuration.labelValues(routeLabel).observe(micros / 1_000_000.0);
  }

  /** A call to the upstream pool named {@code upstream} (its config name, not a URL) failed. */
  public void upstreamError(String upstream, UpstreamErrorKind kind) {
    upstreamErrors.labelValues(upstream, kind.label()).inc();
  }

  public void connectionOpened() {
    openConnections.inc();
  }

  public void connectionClosed() {
    openConnections.dec();
  }

  /** A connection was closed on arrival because it was over {@code limit} ({@code total} or {@code per_ip}). */
  public void connectionRefused(String limit) {
    connectionsRefused.labelValues(limit).inc();
  }

  /** A guard failed instead of deciding. */
  public void guardError(String route, String guard) {
    guardErrors.labelValues(route, guard).inc();
  }

  /** A deadline ended an exchange in {@code phase}. */
  public void timedOut(String phase) {
    timeouts.labelValues(phase).inc();
  }

  /** Bytes of request bodies held in memory now, read at each scrape. */
  public void bufferedBodies(java.util.function.LongSupplier bytes) {
    io.prometheus.metrics.core.metrics.GaugeWithCallback.builder()
        .name("gatehouse_buffered_body_bytes")
        .help("Bytes of request bodies held in memory (read whole before forwarding), over all requests.")
        .callback(callback -> callback.call(bytes.getAsLong()))
        .register(registry);
  }

  /** Bytes of bodies copied for payload capture and not yet scrubbed, read at each scrape. */
  public void capturedPayloadBytes(java.util.function.LongSupplier bytes) {
    io.prometheus.metrics.core.metrics.GaugeWithCallback.builder()
        .name("gatehouse_audit_payload_bytes")
        .help("Bytes of bodies copied for log_payloads and waiting to be scrubbed, over all requests.")
        .callback(callback -> callback.call(bytes.getAsLong()))
        .register(registry);
  }

  @Override
  public void payloadLogged(BodyPart part, String outcome, java.util.Map<PhiType, Integer> counts) {
    payloads.labelValues(part.word(), outcome).inc();
    counts.forEach((type, n) -> redactions.labelValues(type.name()).inc(n));
  }

  public void webSocketOpened() {
    openWebSockets.inc();
  }

  public void webSocketClosed() {
    openWebSockets.dec();
  }

  /**
   * The gateway sent a GOAWAY with an error and closed an HTTP/2 client connection.
   *
   * @param kind the error code's name in lower case, from the 14 that RFC 9113 section 7 defines
   */
  public void http2Error(String kind) {
    http2Errors.labelValues(kind).inc();
  }

  public void tlsHandshake(boolean ok) {
    tlsHandshakes.labelValues(result(ok)).inc();
  }

  public void configReload(boolean ok) {
    configReloads.labelValues(result(ok)).inc();
  }

  public void certReload(boolean ok) {
    certReloads.labelValues(result(ok)).inc();
  }

  @Override
  public void entryDropped() {
    auditDropped.inc();
  }

  @Override
  public void writeFailed() {
    auditWriteErrors.inc();
  }

  @Override
  public void healthChanged(boolean writable) {
    auditWritable.set(writable ? 1 : 0);
  }

  @Override
  public void checkpointWritten(long coverMicros) {
    if (coverMicros > 0) auditCheckpointLatency.observe(coverMicros / 1e6);
  }

  @Override
  public void sent(int messages) {
    syslogSent.inc(messages);
  }

  @Override
  public void dropped() {
    syslogDropped.inc();
  }

  @Override
  public void connectionFailed() {
    syslogConnectionFailures.inc();
    syslogConnected.set(0);
  }

  @Override
  public void connected() {
    syslogConnected.set(1);
  }

  @Override
  public void witnessFailed() {
    auditWitnessErrors.inc();
  }

  @Override
  public void segmentSealed() {
    auditSealed.inc();
  }

  /** @param webhook a configured webhook path (bounded by the config), never the request's own path */
  @Override
  public void webhookVerified(String webhook, String result) {
    webhookVerifications.labelValues(webhook, result).inc();
  }

  @Override
  public void ssoEvent(String event, String outcome) {
    ssoEvents.labelValues(event, outcome).inc();
  }

  @Override
  public Checks checks(String route, String keyType) {
    CounterDataPoint allowed = rateLimitChecks.labelValues(route, keyType, "allowed");
    CounterDataPoint limited = rateLimitChecks.labelValues(route, keyType, "limited");
    return new Checks() {
      @Override public void allowed() {
        allowed.inc();
      }

      @Override public void limited() {
        limited.inc();
      }
    };
  }

  @Override
  public void storeError(String store, String route, String policy) {
    rateLimitStoreErrors.labelValues(store, route, policy).inc();
  }

  @Override
  public void bucketEvictedEarly() {
    rateLimitEvictions.inc();
  }

  @Override
  public void bucketsHeld(java.util.function.LongSupplier buckets) {
    io.prometheus.metrics.core.metrics.GaugeWithCallback.builder()
        .name("gatehouse_rate_limit_buckets")
        .help("Token buckets held by the local rate-limit store (at most 250,000; 0 with the Redis store).")
        .callback(callback -> callback.call(Math.max(0, buckets.getAsLong())))
        .register(registry);
  }

  @Override
  public void lockoutStarted(String kind) {
    lockoutsStarted.labelValues(kind).inc();
  }

  @Override
  public void lockoutStoreError() {
    lockoutStoreErrors.inc();
  }

  @Override
  public void lockedOut(java.util.function.LongSupplier held) {
    io.prometheus.metrics.core.metrics.GaugeWithCallback.builder()
        .name("gatehouse_locked_out")
        .help("Sources and identities locked out on this replica now.")
        .callback(callback -> callback.call(held.getAsLong()))
        .register(registry);
  }

  @Override
  public void replayStoreError(String store) {
    replayStoreErrors.labelValues(store).inc();
  }

  /** @param route a configured route's name (bounded by the config), or null */
  @Override
  public void alertRaised(AlertType type, String route) {
    alerts.labelValues(type.code(), route == null ? NO_ROUTE : route).inc();
  }

  @Override
  public void webhookDelivery(String result) {
    alertDeliveries.labelValues(result).inc();
  }

  @Override
  public void outcomeDropped() {
    alertOutcomesDropped.inc();
  }

  /** All metrics in the Prometheus text format ({@link #CONTENT_TYPE}). */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
    try {
      textFormat.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String result(boolean ok) {
    return ok ? "ok" : "failed";
  }
}
