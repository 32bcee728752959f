package io.gatehouse.audit;

/**
 * What the audit log reports about itself, for metrics, {@code /readyz} and the routes' {@code on_audit_failure}.
 * Every method has a no-op default so a listener implements only what it needs. Implementations must be thread-safe
 * and cheap: {@link #entryDropped()} runs on an event loop.
 */
public interface AuditLogEvents {
  /** Listens to nothing. */
  AuditLogEvents IGNORE = new AuditLogEvents() {};

  /** An entry was not accepted because the queue was full or the log was closed. On the caller's thread. */
  default void entryDropped() {}

  /** An attempt to append or sync failed with an I/O error; the writer will retry it. On the writer thread. */
  default void writeFailed() {}

  /**
   * The log became unwritable (a write failed, an entry was dropped) or writable again. Called on transitions only,
   * from whichever thread caused them.
   */
  default void healthChanged(boolean writable) {}

  /**
   * A checkpoint was signed and synced.
   *
   * @param coverMicros how long the oldest entry it newly covers waited for it, from being written (0 for a heartbeat)
   */
  default void checkpointWritten(long coverMicros) {}

  /** Copying a checkpoint to the witness directory failed. On the writer thread. */
  default void witnessFailed() {}

  /** A segment was sealed. On the writer thread. */
  default void segmentSealed() {}
}
