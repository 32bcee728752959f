package io.gatehouse.alert;

/**
 * What the alerting reports for metrics, so this package does not depend on the metrics library. Label values are
 * bounded: the {@link AlertType} codes, configured route names, and the result words below. Never a client address or
 * a subject: those are in the audit entry.
 */
public interface AlertEvents {
  /** A POST the receiver answered with 2xx. */
  String DELIVERED = "ok";
  /** A POST given up after its last attempt. */
  String FAILED = "failed";
  /** An alert never POSTed: the sender's queue was full or it was closing. */
  String DROPPED = "dropped";

  /** An alert was raised. {@code route} is null when it has none. */
  void alertRaised(AlertType type, String route);

  /** One alert's POST ended: {@link #DELIVERED}, {@link #FAILED} or {@link #DROPPED}. */
  void webhookDelivery(String result);

  /** A finished exchange was not looked at because the detectors' queue was full. */
  void outcomeDropped();

  /** Reports nothing (for tests that do not look at metrics). */
  AlertEvents NONE = new AlertEvents() {
    @Override public void alertRaised(AlertType type, String route) {}

    @Override public void webhookDelivery(String result) {}

    @Override public void outcomeDropped() {}
  };
}
