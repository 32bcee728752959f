package io.gatehouse.audit.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that scrub captured bodies, fed from the event loops through a bounded lock-free queue. Written instead
 * of a {@code ThreadPoolExecutor} because handing a task to a waiting pool thread costs the event loop a lock and a
 * futex wake per request (the audit writer measured that at about 5% of the loops' time); here an offer is a CAS,
 * and the workers find their work by napping: 1 ms after work, doubling to 50 ms while idle, so an idle gateway
 * costs nothing noticeable and a body waits at most that long. Threads start at the first task: a gateway whose
 * routes log no payloads has none.
 */
final class ScrubWorkers {
  private static final long FIRST_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long LONGEST_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private static final System.Logger LOG = System.getLogger(ScrubWorkers.class.getName());

  private final String name;
  private final int threads;
  private final int capacity;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final List<Thread> running = new ArrayList<>();
  private volatile boolean closing;

  ScrubWorkers(String name, int threads, int capacity) {
    this.name = name;
    this.threads = threads;
    this.capacity = capacity;
  }

  /** Queues {@code task}; false, with nothing queued, when {@code capacity} tasks wait already or it is closing. */
  boolean offer(Runnable task) {
    if (closing) return false;
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      return false;
    }
    tasks.add(task);
    if (started.get() < threads) start();
    return true;
  }

  private synchronized void start() {
    while (running.size() < threads && !closing) {
      Thread thread = new Thread(this::work, name + "-" + (running.size() + 1));
      thread.setDaemon(true);
      running.add(thread);
      started.incrementAndGet();
      thread.start();
    }
  }

  private void work() {
    long nap = FIRST_NAP_NANOS;
    while (true) {
      Runnable task = tasks.poll();
      if (task != null) {
        queued.decrementAndGet();
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          // A task must not take its worker with it; PayloadRecorder's tasks catch what they expect themselves.
          LOG.log(System.Logger.Level.ERROR, "payload capture: a scrubbing task failed (" + e.getClass().getName() + ")");
        }
        nap = FIRST_NAP_NANOS;
      } else if (closing) {
        return;
      } else {
        LockSupport.parkNanos(nap);
        nap = Math.min(LONGEST_NAP_NANOS, nap * 2);
      }
    }
  }

  /**
   * Stops taking tasks and waits up to {@code graceMillis} for the queued ones to run.
   *
   * @return the tasks that did not run
   */
  int close(long graceMillis) throws InterruptedException {
    closing = true;
    List<Thread> threadsToJoin;
    synchronized (this) {
      threadsToJoin = List.copyOf(running);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
    for (Thread thread : threadsToJoin) {
      LockSupport.unpark(thread);
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    return queued.get();
  }
}
