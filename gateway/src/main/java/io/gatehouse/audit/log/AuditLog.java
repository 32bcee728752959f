package io.gatehouse.audit.log;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditLogEvents;
import io.gatehouse.audit.AuditSink;
import io.gatehouse.audit.LogEvent;
import io.gatehouse.audit.canonical.ByteSink;
import io.gatehouse.audit.canonical.CanonicalFields;
import io.gatehouse.audit.merkle.Hasher;
import io.gatehouse.audit.merkle.TreeBuilder;
import io.gatehouse.audit.note.Checkpoint;
import io.gatehouse.audit.note.NoteSigner;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one writer of a replica's signed audit log (docs/audit-log.md). {@link #write} is called on event loops and
 * never blocks: it offers the event to a bounded queue. A single daemon thread ({@value #THREAD_NAME}) drains the
 * queue in batches, gives each entry its sequence number and the previous entry's hash, encodes it canonically,
 * appends the batch with one write, and adds the leaf hashes to the Merkle tree. Every {@code checkpoint_every}
 * while entries arrive (and every {@code heartbeat_every} when idle) it syncs the segment, signs a checkpoint over
 * the tree, appends and syncs that, copies it to the witness and saves the tree's frontier ({@link LogState}).
 *
 * <p><b>Why one thread.</b> The tree needs one total order of entries and one place that holds its head; a single
 * consumer gives both without locks, and keeps disk waits and signatures off the event loops.
 *
 * <p><b>Failures.</b> A batch that cannot be written is kept and retried with backoff, with the same bytes (its
 * entries already have their place in the tree), after the torn tail of the failed attempt is cut off. While it
 * fails, the queue fills and further entries are dropped and counted; {@link #writable()} turns false, and so it
 * does when the writer has made no progress for {@value #STALL_MILLIS} ms (a hung disk, Vault #5361): routes that
 * fail closed answer 503 at once instead of waiting on it.
 */
public final class AuditLog implements AutoCloseable {
  /** The writer thread's name, to find it in thread dumps. */
  public static final String THREAD_NAME = "gatehouse-audit-writer";
  /** tlog-tiles' bound on one entry. */
  public static final int MAX_ENTRY = 65_535;
  static final int DEFAULT_CAPACITY = 65_536;
  static final long STALL_MILLIS = 2_000;

  private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
  private static final int MAX_BATCH = 4_096;
  private static final long FIRST_BACKOFF_MILLIS = 20;
  private static final long MAX_BACKOFF_MILLIS = 1_000;
  /**
   * How long the writer naps on an empty queue. It never blocks on the queue itself: a waiting taker makes every
   * offer on an event loop wake it through a lock and a futex, measured at about 5% of the event loops' time.
   */
  private static final long BATCH_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
  private static final Duration DROP_LOG_INTERVAL = Duration.ofSeconds(10);
  /** Put on the queue by {@link #close()} only to wake the thread; never written. */
  private static final AuditEvent WAKE_UP = new LogEvent("wake-up", Instant.EPOCH, Map.of());

  private final AuditLogSettings settings;
  private final AuditLogEvents events;
  private final List<AuditSink> sinks;
  /**
   * Lock-free for the event loops: an {@code ArrayBlockingQueue} takes a lock on every offer, which the event loops
   * contended for with each other and with the drain. JCTools' bounded MPSC array queue, shaded inside Netty, offers
   * with one CAS.
   */
  private final Queue<AuditEvent> queue;
  private final int capacity;
  private final Thread thread;
  private final AtomicBoolean healthy = new AtomicBoolean(true);
  private final AtomicLong dropped = new AtomicLong();
  private final FileChannel lock;
  private final Sealer sealer = new Sealer();
  private volatile boolean closing;
  private volatile long closeDeadlineNanos;
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile String latestCheckpoint;
  private volatile long entries;

  // Owned by the writer thread only.
  private final TreeBuilder tree;
  private final Hasher hasher = new Hasher();
  private final CanonicalFields fields = new CanonicalFields();
  private final EntryTimes times = new EntryTimes();
  private final Batch batch = new Batch();
  private final Optional<Witness> witness;
  private SegmentFile segment;
  private SegmentName segmentName;
  private long segmentLines;
  private long segmentStartNanos;
  private Instant segmentFrom;
  private Instant segmentTo;
  private byte[] prevLeaf;
  private String configVersion = "";
  private long checkpointedSize;
  private long lastCheckpointNanos;
  private long oldestUncoveredNanos = -1;
  private long failedAttempts;
  private long reportedDrops;
  private long lastDropLogNanos;
  private boolean witnessFailing;

  private AuditLog(AuditLogSettings settings, AuditLogEvents events, List<AuditSink> sinks, int capacity,
      LogRecovery.Recovered recovered) {
    this.settings = settings;
    this.events = Objects.requireNonNull(events, "events");
    this.sinks = List.copyOf(sinks);
    this.capacity = capacity;
    this.queue = PlatformDependent.newFixedMpscQueue(capacity);
    this.lock = recovered.lock();
    this.tree = recovered.tree();
    this.prevLeaf = recovered.prevLeaf();
    this.segmentName = recovered.openSegment();
    this.segment = new SegmentFile(settings.dir(), segmentName.fileName());
    this.segmentLines = recovered.segmentLines();
    this.segmentFrom = recovered.from();
    this.segmentTo = recovered.to();
    this.segmentStartNanos = System.nanoTime();
    this.latestCheckpoint = recovered.lastCheckpoint();
    this.checkpointedSize = recovered.lastCheckpointSize();
    this.lastCheckpointNanos = System.nanoTime() - settings.heartbeatEvery().toNanos(); // the first one comes soon
    this.entries = tree.size();
    this.witness = settings.witnessDir().map(dir -> new Witness(dir, settings.origin()));
    this.thread = new Thread(this::run, THREAD_NAME);
    thread.setDaemon(true);
    recovered.toCompress().forEach(sealer::compress);
    queue.offer(startEvent(recovered));
    keyEvent(recovered).ifPresent(queue::offer);
  }

  /**
   * Opens the log in {@code settings.dir()}, continuing the tree that is there ({@link LogRecovery}), and starts the
   * writer; the first entry is {@code start}. Blocks while it reads the directory: call it before serving.
   *
   * @throws AuditLogException when the directory holds a log this one cannot honestly continue, or cannot be used
   */
  public static AuditLog open(AuditLogSettings settings, AuditLogEvents events, List<AuditSink> sinks)
      throws AuditLogException {
    return open(settings, events, sinks, DEFAULT_CAPACITY);
  }

  static AuditLog open(AuditLogSettings settings, AuditLogEvents events, List<AuditSink> sinks, int capacity)
      throws AuditLogException {
    AuditLog log = new AuditLog(settings, events, sinks, capacity, LogRecovery.open(settings));
    log.thread.start();
    return log;
  }

  private LogEvent startEvent(LogRecovery.Recovered recovered) {
    Map<String, Object> f = new java.util.LinkedHashMap<>();
    f.put("version", settings.version());
    settings.signer().ifPresent(s -> f.put("key_id", keyIdText(s.key().keyId())));
    if (recovered.unsealedFirst() >= 0) {
      f.put("unsealed_tail", Map.of("first", recovered.unsealedFirst(), "last", recovered.tree().size() - 1));
    }
    if (recovered.tornBytes() > 0) f.put("torn_bytes", recovered.tornBytes());
    return new LogEvent("start", settings.clock().instant(), f);
  }

  private Optional<LogEvent> keyEvent(LogRecovery.Recovered recovered) {
    if (settings.signer().isEmpty() || recovered.lastKeyId().isEmpty()) return Optional.empty();
    NoteSigner signer = settings.signer().get();
    if (recovered.lastKeyId().getAsInt() == signer.key().keyId()) return Optional.empty();
    return Optional.of(LogEvent.of("key", settings.clock().instant(), "key_id", keyIdText(signer.key().keyId()),
        "verifier_key", signer.key().verifierKey(), "previous_key_id", keyIdText(recovered.lastKeyId().getAsInt())));
  }

  private static String keyIdText(int keyId) {
    return String.format("%08x", keyId);
  }

  /** The directory written to. */
  public Path dir() {
    return settings.dir();
  }

  /** The open segment (for tests and the dev runner's banner). */
  public Path openSegment() {
    return settings.dir().resolve(segmentName.fileName());
  }

  /**
   * Queues {@code event}. Never blocks and never throws for I/O reasons: when the queue is full (or the log is
   * closed) the event is dropped and counted through {@link AuditLogEvents#entryDropped()}.
   *
   * @return whether it was queued
   */
  public boolean write(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    // The queue's own bound is the capacity rounded up to a power of two; the size check keeps the configured one.
    if (!closing && queue.size() < capacity && queue.offer(event)) return true;
    dropped.incrementAndGet();
    events.entryDropped();
    setHealthy(false);
    return false;
  }

  /**
   * Whether entries are reaching the disk: false after a failed write or a dropped entry until a batch is written
   * again, and false while the writer has been stuck for {@value #STALL_MILLIS} ms. Cheap: read per request.
   */
  public boolean writable() {
    return healthy.get() && System.nanoTime() - lastProgressNanos < TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
  }

  /** The latest checkpoint's signed note; empty before the first. */
  public Optional<String> latestCheckpoint() {
    return Optional.ofNullable(latestCheckpoint);
  }

  /** Entries given a sequence number so far (written or about to be). */
  public long size() {
    return entries;
  }

  /** Entries dropped since the log was opened. */
  public long droppedCount() {
    return dropped.get();
  }

  /**
   * Writes everything still queued and a {@code stop} entry, signs a last checkpoint over them, syncs, and stops the
   * threads. Blocks (call it off the event loop, after in-flight requests drained); when the disk keeps failing it
   * gives up after a few seconds and counts what was left as dropped.
   */
  @Override
  public void close() {
    if (!closing) {
      queue.offer(LogEvent.of("stop", settings.clock().instant(), "reason", "shutdown"));
      closeDeadlineNanos = System.nanoTime() + CLOSE_GRACE.toNanos();
      closing = true;
      queue.offer(WAKE_UP); // if the queue is full the thread is busy anyway and will see the flag
    }
    joinQuietly();
    sealer.close();
    for (AuditSink sink : sinks) sink.close();
    try {
      lock.close();
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
  }

  /**
   * Waits for the writer, but not forever: a disk that hangs inside a system call (not one that fails, which the
   * grace covers) would otherwise hold the shutdown for as long as it hangs.
   */
  private void joinQuietly() {
    long deadline = System.nanoTime() + CLOSE_GRACE.toNanos() * 2;
    boolean interrupted = false;
    while (thread.isAlive() && System.nanoTime() - deadline < 0) {
      try {
        thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (thread.isAlive()) {
      LOG.log(Level.ERROR, "audit log writer is stuck in a disk call; stopping without it: " + queue.size()
          + " queued entr(ies) and the last ones written are not covered by a checkpoint: " + settings.dir());
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  private void run() {
    List<AuditEvent> taken = new ArrayList<>(MAX_BATCH);
    long backoffMillis = FIRST_BACKOFF_MILLIS;
    while (true) {
      // Nobody should interrupt this thread; a set flag would make every FileChannel call fail
      // (ClosedByInterruptException), so clear it and carry on.
      Thread.interrupted();
      try {
        if (batch.isEmpty()) {
          takeBatch(taken);
          encode(taken);
          taken.clear();
        }
        boolean ok = true;
        if (!batch.isEmpty()) ok = appendBatch();
        if (ok) ok = maybeCheckpoint(closing && queue.isEmpty()) && maybeRoll();
        if (ok) {
          backoffMillis = FIRST_BACKOFF_MILLIS;
          lastProgressNanos = System.nanoTime();
        } else if (closing && System.nanoTime() - closeDeadlineNanos > 0) {
          giveUp();
          break;
        } else {
          sleep(backoffMillis);
          backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
        }
        reportDrops();
        if (closing && batch.isEmpty() && queue.isEmpty() && checkpointedSize == tree.size()) break;
      } catch (RuntimeException e) {
        // A bug must not kill the only writer: the queue would fill and every later entry would be lost.
        LOG.log(Level.ERROR, "audit log writer: unexpected error, continuing", e);
        sleep(backoffMillis);
      }
    }
    closeFiles();
  }

  private void takeBatch(List<AuditEvent> into) {
    for (AuditEvent event; into.size() < MAX_BATCH && (event = queue.poll()) != null; ) {
      if (event != WAKE_UP) into.add(event);
    }
    if (into.isEmpty() && !closing) LockSupport.parkNanos(BATCH_PAUSE_NANOS);
  }

  /** Gives each event its place in the tree and its bytes, once: a failed append is retried with the same bytes. */
  private void encode(List<AuditEvent> taken) {
    batch.reset();
    for (AuditEvent event : taken) {
      int start = batch.bytes.size();
      long seq = tree.size();
      try {
        Optional<String> inForce = event.configInForce();
        if (inForce.isPresent()) {
          configVersion = inForce.get().length() > 16 ? inForce.get().substring(0, 16) : inForce.get();
        }
        fields.reset();
        event.writeFields(fields);
        common(event.kind(), event.time(), seq);
        fields.writeTo(batch.bytes);
        if (batch.bytes.size() - start > MAX_ENTRY) {
          int original = batch.bytes.size() - start;
          batch.bytes.truncate(start);
          fields.reset();
          fields.put("cut", (long) original);
          common(event.kind(), event.time(), seq);
          fields.writeTo(batch.bytes);
        }
      } catch (RuntimeException e) {
        // Only a bug in an event's fields gets here; skip it, keep the batch and the chain.
        batch.bytes.truncate(start);
        LOG.log(Level.ERROR, "audit log: a " + event.kind() + " entry could not be encoded and was skipped: " + e);
        events.writeFailed();
        continue;
      }
      int length = batch.bytes.size() - start;
      byte[] leaf = hasher.leaf(batch.bytes.array(), start, length);
      batch.bytes.write('\n');
      tree.append(leaf);
      prevLeaf = leaf;
      batch.add(seq, start, length, leaf);
      Instant time = event.time();
      if (segmentFrom == null || time.isBefore(segmentFrom)) segmentFrom = time;
      if (segmentTo == null || time.isAfter(segmentTo)) segmentTo = time;
    }
    entries = tree.size();
  }

  private void common(String kind, Instant time, long seq) {
    fields.put("seq", seq)
        .put("prev", Base64.getEncoder().encodeToString(prevLeaf))
        .put("kind", kind)
        .put("time", times.format(time))
        .put("replica", settings.replica())
        .put("config", configVersion);
  }

  /** Appends the encoded batch with one write; false (already counted and logged) on an I/O error. */
  private boolean appendBatch() {
    try {
      segment.append(batch.bytes.asByteBuffer());
    } catch (IOException e) {
      writeFailed(e);
      return false;
    }
    segmentLines += batch.count;
    if (oldestUncoveredNanos < 0) oldestUncoveredNanos = System.nanoTime();
    for (AuditSink sink : sinks) {
      for (int i = 0; i < batch.count; i++) {
        try {
          sink.entry(batch.seqs[i], batch.line(i), batch.leaves[i]);
        } catch (RuntimeException e) {
          LOG.log(Level.ERROR, "audit log: a sink failed; the files are unaffected", e);
        }
      }
    }
    batch.reset();
    recovered();
    return true;
  }

  /**
   * Signs a checkpoint when one is due: {@code checkpoint_every} after the last while entries arrived, or
   * {@code heartbeat_every} when none did. The entries are synced before the signature and the checkpoint line
   * after it, so a signed checkpoint never covers entries a crash could lose.
   *
   * @return false when it was due and could not be written (retried on the next turn)
   */
  private boolean maybeCheckpoint(boolean force) {
    long now = System.nanoTime();
    long since = now - lastCheckpointNanos;
    boolean grown = tree.size() > checkpointedSize;
    boolean due = (grown && (force || since >= settings.checkpointEvery().toNanos()))
        || since >= settings.heartbeatEvery().toNanos();
    if (!due) return true;
    Checkpoint checkpoint = new Checkpoint(settings.origin(), tree.size(), tree.root(),
        Optional.of(settings.clock().instant()));
    String note = settings.signer().map(s -> s.sign(checkpoint.body())).orElse(checkpoint.body());
    byte[] line = CheckpointLine.encode(note);
    try {
      segment.force();
      segment.append(ByteBuffer.wrap(withNewline(line)));
      segment.force();
    } catch (IOException e) {
      writeFailed(e);
      return false;
    }
    segmentLines++;
    long coverMicros = grown && oldestUncoveredNanos >= 0 ? (System.nanoTime() - oldestUncoveredNanos) / 1000 : 0;
    oldestUncoveredNanos = -1;
    lastCheckpointNanos = now;
    checkpointedSize = tree.size();
    latestCheckpoint = note;
    events.checkpointWritten(coverMicros);
    witness.ifPresent(w -> copyToWitness(w, line));
    saveState(note);
    for (AuditSink sink : sinks) {
      try {
        sink.checkpoint(note);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "audit log: a sink failed; the files are unaffected", e);
      }
    }
    recovered();
    return true;
  }

  private void copyToWitness(Witness w, byte[] line) {
    try {
      w.append(line);
      if (witnessFailing) LOG.log(Level.INFO, "audit: the witness is written again: " + w.file());
      witnessFailing = false;
    } catch (IOException e) {
      events.witnessFailed();
      // Once per outage: the log itself is still written, and the next checkpoint tries again.
      if (!witnessFailing) {
        LOG.log(Level.WARNING, "audit: could not copy a checkpoint to the witness " + w.file() + ": " + e);
      }
      witnessFailing = true;
    }
  }

  private void saveState(String note) {
    try {
      new LogState(tree.size(), tree.frontier(), prevLeaf, segmentName.fileName(), segment.committedSize(),
          segmentLines, segmentFrom, segmentTo, note).save(settings.dir());
    } catch (IOException e) {
      // Only a restart's speed depends on it: without it, the restart rereads the segments.
      LOG.log(Level.WARNING, "audit: could not save " + LogState.FILE_NAME + ": " + e);
    }
  }

  /**
   * Seals the open segment when it reached {@code segment.max_size} or {@code max_age}: its last line is a
   * checkpoint of every entry in it; it is renamed to its sealed name (first and last seq, first and last time) and
   * compressed by the {@link Sealer}; the next segment starts with a checkpoint of the same tree, so a restart finds
   * its place from the new segment alone.
   */
  private boolean maybeRoll() {
    long first = segmentName.first();
    boolean hasEntries = tree.size() > first;
    boolean full = segment.committedSize() >= settings.segmentMaxSize();
    boolean old = System.nanoTime() - segmentStartNanos >= settings.segmentMaxAge().toNanos();
    if (!hasEntries || !(full || old)) return true;
    // The seal is a checkpoint of exactly the segment's entries: sign one now rather than let the segment grow on.
    if (checkpointedSize != tree.size() && !maybeCheckpoint(true)) return false;
    SegmentName sealed = SegmentName.sealed(first, tree.size() - 1, segmentFrom, segmentTo);
    Path from = settings.dir().resolve(segmentName.fileName());
    Path to = settings.dir().resolve(sealed.fileName());
    try {
      segment.close();
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      Sealer.syncDirectory(settings.dir());
    } catch (IOException e) {
      writeFailed(e);
      return false;
    }
    events.segmentSealed();
    sealer.compress(to);
    segmentName = SegmentName.open(tree.size());
    segment = new SegmentFile(settings.dir(), segmentName.fileName());
    segmentLines = 0;
    segmentFrom = null;
    segmentTo = null;
    segmentStartNanos = System.nanoTime();
    lastCheckpointNanos = System.nanoTime() - settings.heartbeatEvery().toNanos(); // the carried-over checkpoint
    return maybeCheckpoint(false);
  }

  private static byte[] withNewline(byte[] line) {
    byte[] out = java.util.Arrays.copyOf(line, line.length + 1);
    out[line.length] = '\n';
    return out;
  }

  private void recovered() {
    if (failedAttempts > 0) {
      LOG.log(Level.INFO, "audit log writable again after " + failedAttempts + " failed attempt(s): " + settings.dir());
      failedAttempts = 0;
    }
    if (queue.size() < capacity) setHealthy(true);
  }

  private void writeFailed(IOException e) {
    if (failedAttempts++ == 0) {
      // Once per burst; the message names the directory and the OS error, never entry contents.
      LOG.log(Level.WARNING, "audit log write failed, retrying: " + segment.path() + ": " + e);
    }
    events.writeFailed();
    setHealthy(false);
  }

  private void giveUp() {
    int lost = batch.count;
    for (AuditEvent event; (event = queue.poll()) != null; ) if (event != WAKE_UP) lost++;
    boolean unsigned = checkpointedSize != tree.size();
    LOG.log(Level.ERROR, "audit log still not writable at shutdown; " + lost + " entr(ies) lost"
        + (unsigned ? " and the last entries are not covered by a checkpoint" : "") + ": " + settings.dir());
    for (int i = 0; i < lost; i++) {
      dropped.incrementAndGet();
      events.entryDropped();
    }
  }

  private void reportDrops() {
    long total = dropped.get();
    if (total == reportedDrops) return;
    long now = System.nanoTime();
    if (reportedDrops == 0 || now - lastDropLogNanos >= DROP_LOG_INTERVAL.toNanos()) {
      LOG.log(Level.WARNING, "audit log: " + (total - reportedDrops) + " entr(ies) dropped (queue full or log closed)");
      reportedDrops = total;
      lastDropLogNanos = now;
    }
  }

  private void closeFiles() {
    try {
      segment.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "audit log could not be synced on close: " + segment.path() + ": " + e);
    }
    witness.ifPresent(Witness::close);
  }

  private void setHealthy(boolean now) {
    if (healthy.compareAndSet(!now, now)) events.healthChanged(now);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // only this writer's own thread sleeps here; see the comment in run()
    }
  }

  /** The encoded entries of one batch, kept until they are written, and where each one is. */
  private static final class Batch {
    final ByteSink bytes = new ByteSink(256 * 1024);
    long[] seqs = new long[MAX_BATCH];
    int[] starts = new int[MAX_BATCH];
    int[] lengths = new int[MAX_BATCH];
    byte[][] leaves = new byte[MAX_BATCH][];
    int count;

    boolean isEmpty() {
      return count == 0;
    }

    void reset() {
      bytes.reset();
      count = 0;
    }

    void add(long seq, int start, int length, byte[] leaf) {
      seqs[count] = seq;
      starts[count] = start;
      lengths[count] = length;
      leaves[count] = leaf;
      count++;
    }

    byte[] line(int i) {
      return java.util.Arrays.copyOfRange(bytes.array(), starts[i], starts[i] + lengths[i]);
    }
  }
}
