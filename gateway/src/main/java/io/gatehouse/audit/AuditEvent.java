package io.gatehouse.audit;

import io.gatehouse.audit.canonical.CanonicalFields;
import java.time.Instant;
import java.util.Optional;

/**
 * Something the audit log records as one entry (docs/audit-log.md). Immutable, so it can cross from the thread that
 * saw it to the writer thread as it is. The writer adds the fields every entry has ({@code seq}, {@code prev},
 * {@code kind}, {@code time}, {@code replica}, {@code config}); an event writes only its own.
 */
public interface AuditEvent {
  /** {@code request}, {@code websocket}, {@code sso}, {@code config}, {@code start}, {@code stop}, {@code key}. */
  String kind();

  /** When it happened. */
  Instant time();

  /** Adds this kind's fields; never one of the common ones. Runs on the writer thread. */
  void writeFields(CanonicalFields fields);

  /**
   * The SHA-256 (hex) of the config in force from this entry on, for an event that changes it: the writer stamps
   * it, shortened, on this entry and every later one. Empty for every other event.
   */
  default Optional<String> configInForce() {
    return Optional.empty();
  }
}
