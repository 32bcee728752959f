package io.gatehouse.audit.syslog;

/**
 * What the {@link SyslogForwarder} reports about itself, for metrics. Every method has a no-op default so a
 * listener implements only what it needs. Implementations must be thread-safe and cheap: {@link #dropped()} runs on
 * the audit log's writer thread.
 */
public interface SyslogEvents {
  /** Listens to nothing. */
  SyslogEvents IGNORE = new SyslogEvents() {};

  /**
   * {@code messages} were written to the collector's connection in one batch. Messages sent again after a broken
   * connection are counted again. On the forwarder's thread.
   */
  default void sent(int messages) {}

  /**
   * One message will not be sent: the queue was full, the forwarder was closed, or it was still queued when
   * {@link SyslogForwarder#close()} gave up. On the caller's thread, or the forwarder's at close.
   */
  default void dropped() {}

  /**
   * An attempt to connect failed (TCP, TLS handshake, certificate, time-out), or an established connection broke
   * while writing. On the forwarder's thread.
   */
  default void connectionFailed() {}

  /** A connection to the collector is up: TCP connected and the TLS handshake verified. On the forwarder's thread. */
  default void connected() {}
}
