package io.gatehouse.alert;

import java.time.Duration;

/**
 * Failures per key in a sliding window: the {@code threshold}-th failure within {@code window} of the first of them
 * completes a burst, and the key is then quiet (no further burst) for {@code quiet}. Each key keeps its last
 * {@code threshold} failure times, nothing else; at most {@code maxKeys} keys are kept, the one failing longest ago
 * dropped first. Owned by one detector on the detector thread.
 */
final class FailureBursts<K> {
  private final int threshold;
  private final long windowMillis;
  private final long quietMillis;
  private final BoundedLruMap<K, Times> keys;

  /** The last failures of one key, a ring of {@code threshold} times. */
  private static final class Times {
    final long[] millis;
    int next;
    int count;
    long quietUntil = Long.MIN_VALUE;

    Times(int threshold) {
      millis = new long[threshold];
    }
  }

  FailureBursts(int threshold, Duration window, Duration quiet, int maxKeys) {
    this.threshold = threshold;
    this.windowMillis = window.toMillis();
    this.quietMillis = quiet.toMillis();
    this.keys = new BoundedLruMap<>(maxKeys);
  }

  /** Records a failure of {@code key} at {@code millis}; true when it completes a burst outside the key's quiet. */
  boolean failed(K key, long millis) {
    Times t = keys.computeIfAbsent(key, k -> new Times(threshold));
    t.millis[t.next] = millis;
    t.next = (t.next + 1) % threshold;
    if (t.count < threshold) t.count++;
    if (t.count < threshold || millis < t.quietUntil) return false;
    // The slot after the newest is the oldest of the last threshold failures. Outcomes arrive nearly but not exactly
    // in time order (a request's time is its arrival), so an oldest slightly after millis still counts as within.
    if (millis - t.millis[t.next] >= windowMillis) return false;
    t.quietUntil = millis + quietMillis;
    return true;
  }
}
