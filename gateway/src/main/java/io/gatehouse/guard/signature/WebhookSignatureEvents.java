package io.gatehouse.guard.signature;

/**
 * What {@link WebhookSignatureGuard} reports for metrics, so the guard does not depend on the metrics library.
 * Label values are bounded: configured webhook paths and fixed result words.
 */
public interface WebhookSignatureEvents {
  /** Result word for a valid delivery whose replay check could not be made and that the route let through. */
  String UNCHECKED = "unchecked";
  /** Webhook label for a request on a {@code signature: required} route that matches no configured webhook. */
  String UNCONFIGURED = "none";

  /**
   * One delivery was decided.
   *
   * @param webhook the configured {@code webhooks[].path}, or {@link #UNCONFIGURED}
   * @param result {@code ok}, {@link #UNCHECKED}, or the refusal's reason code
   */
  void webhookVerified(String webhook, String result);

  /** A call to the replay store named {@code store} ({@code local}, {@code redis}) failed or timed out. */
  void replayStoreError(String store);

  /** Reports nothing (for tests that do not look at metrics). */
  WebhookSignatureEvents NONE = new WebhookSignatureEvents() {
    @Override public void webhookVerified(String webhook, String result) {}

    @Override public void replayStoreError(String store) {}
  };
}
