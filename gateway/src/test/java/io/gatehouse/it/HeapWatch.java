package io.gatehouse.it;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Measures how much heap a transfer <em>retains</em>, as opposed to how much garbage it makes: a streaming proxy
 * allocates and drops many chunks (lots of garbage, nothing retained), a buffering one keeps the body alive.
 *
 * <p>Two kinds of samples, both of live data only: the heap left after every collection that happens on its own
 * during the transfer (GC notifications, summed over the heap pools), and the heap left after a
 * {@link System#gc()} the test asks for at chosen points of the transfer ({@link #sampleNow()}). The result is the
 * largest sample minus the heap after a {@code System.gc()} before the transfer.
 */
public final class HeapWatch implements AutoCloseable {
  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(pool -> pool.getType() == MemoryType.HEAP).map(pool -> pool.getName()).collect(Collectors.toSet());
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::collected;
  private final long baseline;

  /** Collects garbage, records the baseline, and starts listening for collections. */
  public HeapWatch() {
    baseline = liveHeapNow();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  /** Heap in use after a full collection. */
  private static long liveHeapNow() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private void collected(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) return;
    var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long used = 0;
    for (var entry : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(entry.getKey())) used += ((MemoryUsage) entry.getValue()).getUsed();
    }
    collections.incrementAndGet();
    peakAfterGc.accumulateAndGet(used, Math::max);
  }

  /** Forces a full collection now (mid-transfer) and records what stayed alive. */
  public void sampleNow() {
    peakAfterGc.accumulateAndGet(liveHeapNow(), Math::max);
  }

  /** The largest live heap seen since the baseline, minus the baseline (never negative). */
  public long retainedGrowth() {
    return Math.max(0, peakAfterGc.get() - baseline);
  }

  /** How many collections were observed (the forced ones included). */
  public long collections() {
    return collections.get();
  }

  @Override public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // Never added: nothing to remove.
      }
    }
  }
}
