package io.gatehouse.alert;

import io.gatehouse.core.ExchangeObserver;
import io.gatehouse.core.ExchangeOutcome;
import io.netty.util.internal.PlatformDependent;
import java.time.Clock;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The anomaly detectors, fed from the event loops. {@link #completed} only checks whether any detector watches the
 * outcome and offers it to a bounded lock-free queue (a CAS, no lock and no thread wake-up, as for the audit writer);
 * one thread of its own drains the queue and runs every detector, so they keep plain state and never slow a request.
 * When the queue is full an outcome is dropped and counted ({@link AlertEvents#outcomeDropped}): detection loses some
 * precision under a flood rather than the gateway losing memory. The thread naps when the queue is empty (1 ms,
 * doubling to 50 ms), so an idle gateway costs nothing noticeable and an alert is at most that late.
 *
 * <p>State is in memory and per replica: it is lost at a restart, and each replica learns from what it sees.
 */
public final class AnomalyDetectors implements ExchangeObserver, AutoCloseable {
  /** Outcomes waiting for the detector thread. */
  public static final int QUEUE_CAPACITY = 65_536;
  private static final long FIRST_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long LONGEST_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long CLOSE_WAIT_MILLIS = 5_000;
  private static final System.Logger LOG = System.getLogger(AnomalyDetectors.class.getName());

  private final List<AnomalyDetector> detectors;
  private final Consumer<Alert> raise;
  private final AlertEvents events;
  private final int capacity;
  private final Queue<ExchangeOutcome> queue;
  private final Thread thread;
  private volatile boolean closing;

  private AnomalyDetectors(List<AnomalyDetector> detectors, Consumer<Alert> raise, AlertEvents events, int capacity) {
    this.detectors = List.copyOf(detectors);
    this.raise = raise;
    this.events = events;
    this.capacity = capacity;
    this.queue = PlatformDependent.newFixedMpscQueue(capacity);
    this.thread = new Thread(this::run, "gatehouse-anomaly-detectors");
    thread.setDaemon(true);
  }

  /**
   * The five detectors with their documented rules and thresholds, running.
   *
   * @param clock when they start watching (the refusal baselines' history begins there)
   * @param raise where alerts go; called on the detector thread
   */
  public static AnomalyDetectors start(Clock clock, Consumer<Alert> raise, AlertEvents events) {
    return start(standard(clock.instant()), raise, events, QUEUE_CAPACITY);
  }

  /** The five detectors, fresh, their history starting at {@code start}. */
  static List<AnomalyDetector> standard(java.time.Instant start) {
    return List.of(new AuthFailuresSourceDetector(), new AuthFailuresUserDetector(), new RefusalSpikeDetector(start),
        new NewNetworkDetector(), new OffHoursWebhookDetector());
  }

  static AnomalyDetectors start(List<AnomalyDetector> detectors, Consumer<Alert> raise, AlertEvents events,
      int capacity) {
    AnomalyDetectors running = new AnomalyDetectors(detectors, raise, events, capacity);
    running.thread.start();
    return running;
  }

  @Override
  public void completed(ExchangeOutcome outcome) {
    if (closing || !watched(outcome)) return;
    // The queue's own bound is the capacity rounded up to a power of two; the size check keeps the stated one.
    if (queue.size() >= capacity || !queue.offer(outcome)) events.outcomeDropped();
  }

  private boolean watched(ExchangeOutcome outcome) {
    for (AnomalyDetector detector : detectors) {
      if (detector.watches(outcome)) return true;
    }
    return false;
  }

  private void run() {
    long nap = FIRST_NAP_NANOS;
    while (true) {
      ExchangeOutcome outcome = queue.poll();
      if (outcome != null) {
        feed(outcome);
        nap = FIRST_NAP_NANOS;
      } else if (closing) {
        return;
      } else {
        LockSupport.parkNanos(nap);
        nap = Math.min(LONGEST_NAP_NANOS, nap * 2);
      }
    }
  }

  private void feed(ExchangeOutcome outcome) {
    for (AnomalyDetector detector : detectors) {
      if (!detector.watches(outcome)) continue;
      try {
        detector.observe(outcome, raise);
      } catch (RuntimeException e) {
        // One broken rule or sink must not stop the others; the class is enough to find it, the message may hold data.
        LOG.log(System.Logger.Level.ERROR, "anomaly detector " + detector.getClass().getSimpleName() + " failed ("
            + e.getClass().getName() + ")");
      }
    }
  }

  /** Takes no more outcomes, lets the thread finish those queued (their alerts are raised), and stops it. */
  @Override
  public void close() {
    closing = true;
    LockSupport.unpark(thread);
    try {
      thread.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
