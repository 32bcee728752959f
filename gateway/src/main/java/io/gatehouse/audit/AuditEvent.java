package io.gatehouse.audit;

import io.gatehouse.audit.canonical.CanonicalFields;
import java.time.Instant;

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
}
