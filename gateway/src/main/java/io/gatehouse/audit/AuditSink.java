package io.gatehouse.audit;

/**
 * A second destination for what the audit log writes, such as a SIEM. Called on the log's writer thread, in log
 * order, after the bytes reached the segment file: an implementation must return at once (queue and forward on a
 * thread of its own, drop and count when it cannot keep up), since a slow sink would otherwise hold up the log.
 * The segment files stay the record; a sink is a copy.
 */
public interface AuditSink extends AutoCloseable {
  /**
   * One entry.
   *
   * @param seq the entry's sequence number (its leaf index)
   * @param line the entry's canonical JSON, without the newline; the caller may reuse the array after the call
   * @param leafHash {@code SHA-256(0x00 || line)}; the caller may reuse the array after the call
   */
  void entry(long seq, byte[] line, byte[] leafHash);

  /** A checkpoint just written: the signed note covering every entry before it. */
  void checkpoint(String signedNote);

  /** Sends what can still be sent within a short grace and stops. Never throws. */
  @Override
  void close();
}
