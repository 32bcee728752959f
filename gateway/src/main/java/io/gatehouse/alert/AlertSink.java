package io.gatehouse.alert;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.LogEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Where a raised alert goes: an {@code alert} entry in the audit log, {@code gatehouse_alerts_total{type,route}}, and,
 * when {@code alerts.webhook} is set, a signed POST. Runs on the detector thread; each part only queues, so a slow
 * disk or receiver never holds the detectors up. Lives as long as the gateway; a reload that changes {@code alerts:}
 * swaps the webhook in with {@link #webhook}.
 */
public final class AlertSink implements Consumer<Alert>, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AlertSink.class.getName());
  /** How long a stopping gateway waits for POSTs still being tried. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final Consumer<AuditEvent> audit;
  private final AlertEvents events;
  private volatile Optional<AlertWebhook> webhook;

  public AlertSink(Consumer<AuditEvent> audit, AlertEvents events, Optional<AlertWebhook> webhook) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.events = Objects.requireNonNull(events, "events");
    this.webhook = Objects.requireNonNull(webhook, "webhook");
  }

  @Override
  public void accept(Alert alert) {
    String id = UUID.randomUUID().toString();
    audit.accept(new LogEvent("alert", alert.time(), alert.fields(id)));
    events.alertRaised(alert.type(), alert.route());
    webhook.ifPresent(w -> w.send(alert, id));
    // Type and route only: who and from where are in the audit entry, not in the process log.
    LOG.log(System.Logger.Level.WARNING, "anomaly alert " + alert.type().code() + " on route "
        + (alert.route() == null ? "(none)" : alert.route()) + ", audit entry id " + id);
  }

  /** Sends later alerts to {@code next}; the previous sender finishes what it holds and stops. */
  public void webhook(Optional<AlertWebhook> next) {
    Optional<AlertWebhook> previous = webhook;
    webhook = Objects.requireNonNull(next, "next");
    previous.ifPresent(AlertWebhook::close);
  }

  /** Stops the webhook sender, giving the POSTs it holds a moment. Blocks up to 2 s: call it off the event loop. */
  @Override
  public void close() {
    webhook.ifPresent(w -> w.close(CLOSE_GRACE));
  }
}
