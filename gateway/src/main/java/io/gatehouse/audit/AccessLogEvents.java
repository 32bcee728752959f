package io.gatehouse.audit;

/**
 * What the {@link AccessLogWriter} reports about itself, for metrics and for a later fail-closed policy
 * (503 {@code audit_unavailable}). Every method has a no-op default so a listener implements only what it needs.
 * Implementations must be thread-safe and cheap: {@link #accessLogDropped()} runs on an event loop.
 */
public interface AccessLogEvents {
  /** Listens to nothing. */
  AccessLogEvents IGNORE = new AccessLogEvents() {};

  /** A record was not accepted because the queue was full or the writer was closed. On the caller's thread. */
  default void accessLogDropped() {}

  /** An attempt to append a batch failed with an I/O error; the writer will retry it. On the writer thread. */
  default void accessLogWriteFailed() {}

  /**
   * The writer became unhealthy (a write failed or a record was dropped) or healthy again (a batch was appended
   * and the queue has room). Called on transitions only, from whichever thread caused them.
   */
  default void accessLogHealthChanged(boolean healthy) {}
}
