package io.gatehouse.audit;

import io.gatehouse.core.Reason;
import io.netty.util.internal.PlatformDependent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one writer of {@code <audit.dir>/access.jsonl}. {@link #write} is called on event loops and never blocks:
 * it only offers the record to a bounded queue. A single daemon thread ({@value #THREAD_NAME}) drains the queue in
 * batches, serializes them with {@link AccessRecordJson} and appends each batch with one positional write, so the
 * file only ever grows by whole lines in queue order.
 *
 * <p><b>Why one thread owns the file.</b> The hash chain and signed checkpoints (the audit issue) need a single,
 * total order of entries and one place that holds the chain head; a single consumer gives both without locks.
 * Both go in {@code serialize} and {@code appendPending}: each line will carry the hash of the previous one, computed here in write order, and
 * checkpoints over the head will be written here too, after a batch at the configured cadence and from the idle
 * wake-up in {@code run} as heartbeats (so tail truncation stays detectable when traffic stops).
 *
 * <p><b>Failures.</b> A batch that cannot be written is kept and retried with backoff, in order, after the torn
 * tail of the failed attempt has been cut off ({@code AccessLogFile}), so a disk that fills and is freed
 * again loses nothing that was queued and never leaves half a line. While it fails, the queue fills and further
 * records are dropped and counted; {@link #healthy()} and {@link AccessLogEvents} let the gateway fail closed.
 *
 * <p><b>Rotation.</b> None yet, and deliberately no support for logrotate: {@code copytruncate} would cut the
 * hash chain and look exactly like tampering, and rename-and-reopen needs a signal this writer does not take.
 * The audit issue will rotate inside this writer: close the segment with a signed checkpoint and start the next
 * file with an entry that links to the previous head.
 *
 * <p><b>Durability.</b> Each batch reaches the OS when it is written (no user-space buffer is left unflushed);
 * {@link #close()} also fsyncs. The audit issue will fsync before signing each checkpoint.
 */
public final class AccessLogWriter implements AutoCloseable {
  /** The log file's name inside the audit directory. */
  public static final String FILE_NAME = "access.jsonl";
  /** The writer thread's name, to find it in thread dumps. */
  public static final String THREAD_NAME = "gatehouse-audit-writer";

  static final int DEFAULT_CAPACITY = 65_536;
  static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(1);

  private static final System.Logger LOG = System.getLogger(AccessLogWriter.class.getName());
  private static final int MAX_BATCH = 4_096;
  private static final long FIRST_BACKOFF_MILLIS = 20;
  /** How long the writer naps on an empty queue; the wake-up is where heartbeat checkpoints will go. */
  private static final long BATCH_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** On close, how long a failing disk is retried before the remaining records are given up (and counted). */
  static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(5);
  private static final Duration DROP_LOG_INTERVAL = Duration.ofSeconds(10);
  /** Put on the queue by {@link #close()} only to wake the thread; never written. */
  private static final AccessRecord WAKE_UP =
      new AccessRecord(Instant.EPOCH, "", null, null, null, "", "", null, 0, 0, 0, 0, Reason.NONE, null, null, null, "");

  private final AccessLogFile file;
  private final AccessLogEvents events;
  /**
   * Lock-free for the event loops: an {@code ArrayBlockingQueue} takes a lock on every offer, which the event loops
   * contended for with each other and with the writer's drain (futex calls on the event loops, about one per four
   * requests under load). JCTools' bounded MPSC array queue, shaded inside Netty, offers with one CAS.
   */
  private final Queue<AccessRecord> queue;
  private final int capacity;
  private final long maxBackoffMillis;
  private final Duration closeGrace;
  private final Thread thread;
  private final AtomicBoolean healthy = new AtomicBoolean(true);
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closing;
  private volatile long closeDeadlineNanos;

  // Owned by the writer thread only.
  private final LineBuffer lines = new LineBuffer();
  private long failedAttempts;
  private long reportedDrops;
  private long lastDropLogNanos;

  /**
   * Creates the writer and starts its thread. The directory is created on first write if missing; a problem with
   * it shows up as write errors, not as an exception here, so the gateway can start and report it.
   */
  public static AccessLogWriter open(Path dir, AccessLogEvents events) {
    AccessLogWriter writer = new AccessLogWriter(dir, events, DEFAULT_CAPACITY, DEFAULT_MAX_BACKOFF, DEFAULT_CLOSE_GRACE);
    writer.start();
    return writer;
  }

  /** Not started: tests fill the queue deterministically before {@link #start()}. */
  AccessLogWriter(Path dir, AccessLogEvents events, int capacity, Duration maxBackoff, Duration closeGrace) {
    this.file = new AccessLogFile(Objects.requireNonNull(dir, "dir"), FILE_NAME);
    this.events = Objects.requireNonNull(events, "events");
    this.queue = PlatformDependent.newFixedMpscQueue(capacity);
    this.capacity = capacity;
    this.maxBackoffMillis = Math.max(FIRST_BACKOFF_MILLIS, maxBackoff.toMillis());
    this.closeGrace = closeGrace;
    this.thread = new Thread(this::run, THREAD_NAME);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The file records are appended to. */
  public Path file() {
    return file.path();
  }

  /**
   * Queues {@code record} for writing. Never blocks and never throws for I/O reasons: when the queue is full (or
   * the writer is closed) the record is dropped and counted through {@link AccessLogEvents#accessLogDropped()}.
   *
   * @return whether the record was queued
   */
  public boolean write(AccessRecord record) {
    Objects.requireNonNull(record, "record");
    // The queue's own bound is the capacity rounded up to a power of two; the size check keeps the configured one
    // (two producers racing past it can overshoot by one each, never past the queue's bound).
    if (!closing && queue.size() < capacity && queue.offer(record)) return true;
    dropped.incrementAndGet();
    events.accessLogDropped();
    setHealthy(false);
    return false;
  }

  /** False from a failed write or a dropped record until a batch has been appended again with room in the queue. */
  public boolean healthy() {
    return healthy.get();
  }

  /** Records dropped since the writer was created. */
  public long droppedCount() {
    return dropped.get();
  }

  /**
   * Writes everything still queued, fsyncs, closes the file and stops the thread. Blocks (call it off the event
   * loop, after in-flight requests have drained): if the disk keeps failing it gives up after a few seconds and
   * counts what was left as dropped. Later {@link #write} calls drop.
   */
  @Override
  public void close() {
    if (closing) {
      joinQuietly();
      return;
    }
    closeDeadlineNanos = System.nanoTime() + closeGrace.toNanos();
    closing = true;
    queue.offer(WAKE_UP); // if the queue is full the thread is busy anyway and will see the flag
    joinQuietly();
  }

  private void joinQuietly() {
    if (!thread.isAlive()) return;
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  private void run() {
    List<AccessRecord> batch = new ArrayList<>(MAX_BATCH);
    int pending = 0; // records serialized into `lines` and not yet written
    long backoffMillis = FIRST_BACKOFF_MILLIS;
    while (true) {
      // Nobody should interrupt this thread; if someone does, a set flag would make every FileChannel write fail
      // (ClosedByInterruptException) and every poll return at once, so clear it and carry on.
      Thread.interrupted();
      try {
        if (pending == 0) {
          takeBatch(batch);
          pending = serialize(batch);
          batch.clear();
        }
        if (pending > 0) {
          if (appendPending()) {
            pending = 0;
            backoffMillis = FIRST_BACKOFF_MILLIS;
          } else if (closing && System.nanoTime() - closeDeadlineNanos > 0) {
            giveUp(pending);
            pending = 0;
          } else {
            sleep(backoffMillis);
            backoffMillis = Math.min(backoffMillis * 2, maxBackoffMillis);
          }
        }
        reportDrops();
        if (closing && pending == 0 && queue.isEmpty()) break;
      } catch (RuntimeException e) {
        // A bug must not kill the only writer: the queue would fill and every later record would be lost.
        LOG.log(Level.ERROR, "access log writer: unexpected error, continuing", e);
        sleep(backoffMillis);
      }
    }
    closeFile();
  }

  /**
   * Takes whatever is queued, up to a batch, or naps briefly when nothing is. The writer never blocks on the queue
   * itself: a waiting taker makes every {@code offer} on an event loop wake it through a lock and a futex, a cost
   * paid per request (measured at about 5% of the event loops' time); a nap of a few milliseconds batches those
   * records instead, at the price of that much delay before a record reaches the file.
   */
  private void takeBatch(List<AccessRecord> batch) {
    drain(batch, MAX_BATCH);
    batch.removeIf(r -> r == WAKE_UP);
    if (batch.isEmpty()) {
      // Idle: the signed audit log (a later issue) writes its heartbeat checkpoints from here.
      LockSupport.parkNanos(BATCH_PAUSE_NANOS);
    }
  }

  /**
   * Turns a batch into lines, once: a failed append is retried with the same bytes, which the hash chain needs
   * (its head must advance exactly once per entry).
   *
   * @return how many records were serialized
   */
  private int serialize(List<AccessRecord> batch) {
    lines.reset();
    int serialized = 0;
    for (AccessRecord record : batch) {
      int mark = lines.size();
      try {
        // Hash chain (audit issue): add the previous entry's hash to the line and advance the head here.
        AccessRecordJson.writeLine(record, lines);
        serialized++;
      } catch (IOException | RuntimeException e) {
        // Only an unencodable value (e.g. a lone UTF-16 surrogate) gets here; skip the record, keep the batch.
        lines.truncate(mark);
        LOG.log(Level.ERROR, "access log: a record could not be serialized and was skipped: "
            + e.getClass().getSimpleName());
        events.accessLogWriteFailed();
      }
    }
    return serialized;
  }

  /** Appends the serialized batch with one write; false (already counted and logged) on an I/O error. */
  private boolean appendPending() {
    try {
      file.append(lines.asByteBuffer());
      // Checkpoint cadence (audit issue): sign the chain head here when checkpoint_every has elapsed.
    } catch (IOException e) {
      writeFailed(e);
      return false;
    }
    if (failedAttempts > 0) {
      LOG.log(Level.INFO, "access log writable again after " + failedAttempts + " failed attempt(s): " + file.path());
      failedAttempts = 0;
    }
    if (queue.size() < capacity) setHealthy(true);
    return true;
  }

  private void writeFailed(IOException e) {
    if (failedAttempts++ == 0) {
      // Once per burst; the message names the file and the OS error, never record contents.
      LOG.log(Level.WARNING, "access log write failed, retrying: " + file.path() + ": " + e);
    }
    events.accessLogWriteFailed();
    setHealthy(false);
  }

  private void giveUp(int pending) {
    List<AccessRecord> rest = new ArrayList<>();
    drain(rest, Integer.MAX_VALUE);
    rest.removeIf(r -> r == WAKE_UP);
    int lost = pending + rest.size();
    LOG.log(Level.ERROR, "access log still not writable at shutdown; " + lost + " record(s) lost: " + file.path());
    for (int i = 0; i < lost; i++) {
      dropped.incrementAndGet();
      events.accessLogDropped();
    }
  }

  private void reportDrops() {
    long total = dropped.get();
    if (total == reportedDrops) return;
    long now = System.nanoTime();
    if (reportedDrops == 0 || now - lastDropLogNanos >= DROP_LOG_INTERVAL.toNanos()) {
      LOG.log(Level.WARNING, "access log: " + (total - reportedDrops) + " record(s) dropped (queue full or writer closed)");
      reportedDrops = total;
      lastDropLogNanos = now;
    }
  }

  private void drain(List<AccessRecord> into, int max) {
    for (AccessRecord record; into.size() < max && (record = queue.poll()) != null; ) into.add(record);
  }

  private void closeFile() {
    try {
      file.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "access log could not be synced on close: " + file.path() + ": " + e);
    }
  }

  private void setHealthy(boolean now) {
    if (healthy.compareAndSet(!now, now)) events.accessLogHealthChanged(now);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // only this writer's own thread sleeps here; see the comment in run()
    }
  }

  /** A reusable byte buffer that can drop a partly serialized record and be written without copying. */
  private static final class LineBuffer extends ByteArrayOutputStream {
    LineBuffer() {
      super(64 * 1024);
    }

    void truncate(int size) {
      count = size;
    }

    ByteBuffer asByteBuffer() {
      return ByteBuffer.wrap(buf, 0, count);
    }
  }
}
