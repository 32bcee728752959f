package io.gatehouse.audit.syslog;

import java.util.concurrent.atomic.AtomicLong;

/** Counts messages that will not be sent, and tells the listener about each. Safe from any thread. */
final class DropCounter {
  private final AtomicLong dropped = new AtomicLong();
  private final SyslogEvents events;

  DropCounter(SyslogEvents events) {
    this.events = events;
  }

  void drop() {
    dropped.incrementAndGet();
    events.dropped();
  }

  long total() {
    return dropped.get();
  }
}
