package io.gatehouse.audit.syslog;

import java.time.Duration;

/**
 * How hard the {@link SyslogForwarder} tries, and how much it holds while the collector is away.
 *
 * @param capacity messages the queue holds before new ones are dropped
 * @param maxQueuedBytes bytes the queue holds before new messages are dropped (a message is at most 8 KiB, so
 *     {@code capacity} alone could mean half a gigabyte of heap)
 * @param closeGrace how long {@link SyslogForwarder#close()} keeps sending what is queued
 * @param connectTimeout for the TCP connect and the TLS handshake together
 * @param writeTimeout for one batch to be taken by the collector; a collector that stops reading is dropped after it
 * @param firstBackoff the wait after the first failed attempt; doubled after each further one
 * @param maxBackoff the longest wait between attempts
 * @param resendBytes how much of what was last written on a connection is sent again after it broke; it must
 *     cover what can be in flight, unread, when a collector dies (see {@link ResendWindow})
 */
public record SyslogOptions(int capacity, long maxQueuedBytes, Duration closeGrace, Duration connectTimeout,
    Duration writeTimeout, Duration firstBackoff, Duration maxBackoff, int resendBytes) {

  public static final SyslogOptions DEFAULTS = new SyslogOptions(65_536, 64L << 20, Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(30), 8 << 20);

  public SyslogOptions {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
    if (maxQueuedBytes < SyslogMessageFormatter.MAX_MESSAGE) {
      throw new IllegalArgumentException("maxQueuedBytes must hold at least one message of "
          + SyslogMessageFormatter.MAX_MESSAGE + " bytes");
    }
    if (resendBytes < 0) throw new IllegalArgumentException("resendBytes must not be negative");
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(writeTimeout, "writeTimeout");
    requirePositive(firstBackoff, "firstBackoff");
    if (closeGrace.isNegative()) throw new IllegalArgumentException("closeGrace must not be negative");
    if (maxBackoff.compareTo(firstBackoff) < 0) throw new IllegalArgumentException("maxBackoff < firstBackoff");
  }

  public SyslogOptions withCapacity(int messages) {
    return new SyslogOptions(messages, maxQueuedBytes, closeGrace, connectTimeout, writeTimeout, firstBackoff,
        maxBackoff, resendBytes);
  }

  public SyslogOptions withCloseGrace(Duration grace) {
    return new SyslogOptions(capacity, maxQueuedBytes, grace, connectTimeout, writeTimeout, firstBackoff, maxBackoff,
        resendBytes);
  }

  public SyslogOptions withTimeouts(Duration connect, Duration write) {
    return new SyslogOptions(capacity, maxQueuedBytes, closeGrace, connect, write, firstBackoff, maxBackoff,
        resendBytes);
  }

  public SyslogOptions withBackoff(Duration first, Duration max) {
    return new SyslogOptions(capacity, maxQueuedBytes, closeGrace, connectTimeout, writeTimeout, first, max,
        resendBytes);
  }

  private static void requirePositive(Duration d, String name) {
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
  }
}
