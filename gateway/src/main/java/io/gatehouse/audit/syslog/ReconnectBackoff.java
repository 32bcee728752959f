package io.gatehouse.audit.syslog;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between attempts to reach the collector: doubling from the first wait to the longest, reset once a batch
 * went through. Each wait is drawn between half and all of its step, so replicas that lost the same collector do
 * not all come back at the same instant.
 */
final class ReconnectBackoff {
  private final long firstNanos;
  private final long maxNanos;
  private long stepNanos;

  ReconnectBackoff(Duration first, Duration max) {
    this.firstNanos = first.toNanos();
    this.maxNanos = max.toNanos();
    this.stepNanos = firstNanos;
  }

  Duration next() {
    long step = stepNanos;
    stepNanos = Math.min(maxNanos, stepNanos * 2);
    return Duration.ofNanos(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
  }

  void reset() {
    stepNanos = firstNanos;
  }
}
