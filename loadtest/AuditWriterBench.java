import io.gatehouse.audit.AccessRecord;
import io.gatehouse.audit.AuditLogEvents;
import io.gatehouse.audit.log.AuditLog;
import io.gatehouse.audit.log.AuditLogException;
import io.gatehouse.audit.log.AuditLogSettings;
import io.gatehouse.audit.note.AuditKeyFiles;
import io.gatehouse.audit.note.KeyRing;
import io.gatehouse.audit.note.NoteSigner;
import io.gatehouse.core.Reason;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The audit writer alone (loadtest/README.md, part "audit"): opens a signed {@link AuditLog} in an empty directory,
 * as the gateway does, and has a few producer threads write request entries into it as fast as the writer thread
 * drains them. Prints one JSON object on stdout: entries/s, and the writer thread's CPU time per entry (the issue's
 * goal: at least 200,000 entries per CPU-second of that thread).
 *
 * <p>{@link AuditLog#write} never blocks: it drops an entry when the queue is full. So the producers keep at most
 * {@code --window} entries ahead of what the writer has taken ({@link AuditLog#size()}), which keeps them below the
 * queue's bound: the writer is never starved and nothing is dropped. A dropped entry would still be retried until
 * the log took it, and counted apart; the run reports {@link AuditLog#droppedCount()} and fails when it is not 0.
 *
 * <p>Run with the gateway's jar on the class path (the JDK's single-file source launcher):
 * {@code java -cp gateway/target/gatehouse.jar loadtest/AuditWriterBench.java --dir D --key K.key [options]}.
 */
public final class AuditWriterBench {
  private static final String ORIGIN = "loadtest.gatehouse/audit/writer-bench";
  private static final String REPLICA = "writer-bench";
  private static final String SEALER_THREAD = "gatehouse-audit-sealer";
  private static final long NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Options options;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

  private AuditWriterBench(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("AuditWriterBench: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    Map<String, Object> result = new AuditWriterBench(options).run();
    System.out.println(json(result));
    System.exit(Long.valueOf(0).equals(result.get("dropped")) ? 0 : 1);
  }

  private Map<String, Object> run() throws IOException, AuditLogException, InterruptedException {
    if (Files.exists(options.dir) && !isEmptyDirectory(options.dir)) {
      throw new IOException(options.dir + " is not empty: the benchmark writes a fresh log");
    }
    Files.createDirectories(options.dir);
    NoteSigner signer = new NoteSigner(ORIGIN, AuditKeyFiles.readSeed(options.key));
    // As AuditLogOpener builds them from the audit section, with the production defaults but for the segment size.
    AuditLogSettings settings = new AuditLogSettings(options.dir, ORIGIN, REPLICA, Optional.empty(),
        new KeyRing(List.of()), options.checkpointEvery, Duration.ofMinutes(1), options.segmentMaxSize,
        Duration.ofDays(1), Optional.empty(), "writer-bench", Clock.systemUTC()).withSigner(signer);
    Map<String, Object> out = new TreeMap<>();
    out.put("entries", options.entries);
    out.put("warmup_entries", options.warmup);
    out.put("producers", options.producers);
    out.put("window", options.window);
    out.put("segment_max_size", options.segmentMaxSize);
    out.put("checkpoint_every_ms", options.checkpointEvery.toMillis());
    AuditLog log = AuditLog.open(settings, AuditLogEvents.IGNORE, List.of());
    boolean closed = false;
    try {
      // The start entry first, so the counts below are the producers' own.
      waitFor(() -> log.size() >= 1, Duration.ofSeconds(10), "the start entry");
      Thread writer = thread(AuditLog.THREAD_NAME);
      AtomicLong retries = new AtomicLong();
      if (options.warmup > 0) {
        // The JIT compiles the writer's encode, hash and append path during the first entries; a gateway that has
        // been up for minutes has long passed this.
        produce(log, options.warmup, retries);
        waitFor(() -> checkpointed(log) >= log.size(), Duration.ofSeconds(30), "the warm-up's checkpoint");
      }
      long before = log.size();
      long target = before + options.entries;
      long writerCpu0 = threads.getThreadCpuTime(writer.getId());
      long processCpu0 = processCpuNanos();
      long sealerCpu0 = sealerCpuNanos();
      long t0 = System.nanoTime();
      Thread[] producers = startProducers(log, options.entries, retries);
      long sequenced = waitUntil(() -> log.size() >= target);
      long covered = waitUntil(() -> checkpointed(log) >= target);
      long writerCpu = threads.getThreadCpuTime(writer.getId()) - writerCpu0;
      long processCpu = processCpuNanos() - processCpu0;
      long sealerCpu = sealerCpuNanos() - sealerCpu0;
      for (Thread p : producers) p.join();
      double toSequence = (sequenced - t0) / (double) NANOS;
      double toCheckpoint = (covered - t0) / (double) NANOS;
      out.put("seconds_to_take_all", round(toSequence, 3));
      out.put("seconds_to_signed_checkpoint", round(toCheckpoint, 3));
      out.put("entries_per_s", round(options.entries / toSequence, 0));
      out.put("entries_per_s_to_checkpoint", round(options.entries / toCheckpoint, 0));
      out.put("writer_cpu_s", round(writerCpu / (double) NANOS, 3));
      out.put("writer_cpu_us_per_entry", round(writerCpu / 1000.0 / options.entries, 3));
      out.put("entries_per_writer_cpu_s",
          writerCpu > 0 ? round(options.entries * (double) NANOS / writerCpu, 0) : null);
      out.put("process_cpu_s", round(processCpu / (double) NANOS, 3));
      out.put("sealer_cpu_s", round(sealerCpu / (double) NANOS, 3));
      out.put("producer_retries", retries.get());
      out.put("dropped", log.droppedCount());
      long closeStart = System.nanoTime();
      log.close(); // the stop entry, its checkpoint, and the compression of the segments sealed so far
      closed = true;
      out.put("seconds_to_close", round((System.nanoTime() - closeStart) / (double) NANOS, 3));
      out.put("log_entries", log.size());
    } finally {
      if (!closed) log.close();
    }
    putFiles(out);
    return out;
  }

  /** Writes count entries from the producer threads and waits for them to finish offering. */
  private void produce(AuditLog log, long count, AtomicLong retries) throws InterruptedException {
    long target = log.size() + count;
    for (Thread p : startProducers(log, count, retries)) p.join();
    waitUntil(() -> log.size() >= target);
  }

  private Thread[] startProducers(AuditLog log, long count, AtomicLong retries) {
    AtomicLong next = new AtomicLong();
    // What the writer had taken when these producers started; entries the log adds itself (a checkpoint is no
    // entry) do not occur in between.
    long base = log.size();
    Thread[] producers = new Thread[options.producers];
    for (int i = 0; i < producers.length; i++) {
      producers[i] = new Thread(() -> {
        for (long n; (n = next.getAndIncrement()) < count; ) {
          // Half a millisecond: the writer needs several to drain a window, and a producer spinning faster would
          // take CPU from it on a small machine.
          while (n - (log.size() - base) >= options.window) LockSupport.parkNanos(500_000);
          AccessRecord record = record(n);
          while (!log.write(record)) {
            retries.incrementAndGet();
            LockSupport.parkNanos(100_000);
          }
        }
      }, "bench-producer-" + i);
      producers[i].start();
    }
    return producers;
  }

  /** A request entry as the bench route's requests make them; one in eight carries an identity, as a login would. */
  private static AccessRecord record(long n) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String requestId = new UUID(random.nextLong(), random.nextLong()).toString();
    boolean signedIn = (n & 7) == 0;
    return new AccessRecord(Instant.now(), requestId, signedIn ? "editor" : "bench", "127.0.0.1",
        signedIn ? "user-" + (n % 1000) + "@example.com" : null, "GET", signedIn ? "/rest/workflows" : "/1k", null,
        200, 0, 1024, 200 + random.nextInt(2000), Reason.NONE, null, "127.0.0.1:8080", null);
  }

  private static long checkpointed(AuditLog log) {
    // A checkpoint note's second line is its tree size.
    return log.latestCheckpoint().map(note -> Long.parseLong(note.split("\n", 3)[1])).orElse(-1L);
  }

  private static long waitUntil(BooleanSupplier done) {
    while (!done.getAsBoolean()) LockSupport.parkNanos(1_000_000);
    return System.nanoTime();
  }

  private static void waitFor(BooleanSupplier done, Duration limit, String what) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) throw new IOException("timed out waiting for " + what);
      LockSupport.parkNanos(1_000_000);
    }
  }

  private static Thread thread(String name) throws IOException {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
        .orElseThrow(() -> new IOException("no thread named " + name));
  }

  private long sealerCpuNanos() {
    try {
      return Math.max(0, threads.getThreadCpuTime(thread(SEALER_THREAD).getId()));
    } catch (IOException e) {
      return 0;
    }
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  private void putFiles(Map<String, Object> out) throws IOException {
    long plain = 0;
    long compressed = 0;
    long bytes = 0;
    try (Stream<Path> files = Files.list(options.dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (!name.startsWith("seg-")) continue;
        bytes += Files.size(file);
        if (name.endsWith(".jsonl.zst") || name.endsWith(".jsonl.gz")) compressed++;
        else if (name.endsWith(".jsonl")) plain++;
      }
    }
    out.put("segments_plain", plain);
    out.put("segments_compressed", compressed);
    out.put("segment_bytes", bytes);
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return false;
    try (Stream<Path> files = Files.list(dir)) {
      return files.findAny().isEmpty();
    }
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  /** Flat JSON of numbers, strings and nulls: all this program prints. */
  private static String json(Map<String, Object> map) {
    List<String> members = new ArrayList<>();
    map.forEach((k, v) -> {
      String value = v == null ? "null"
          : v instanceof String s ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
          : v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue())
          : v.toString();
      members.add("\"" + k + "\":" + value);
    });
    return "{" + String.join(",", members) + "}";
  }

  /** The command line. */
  private record Options(Path dir, Path key, long entries, long warmup, int producers, int window,
      long segmentMaxSize, Duration checkpointEvery) {
    static final String USAGE = "usage: AuditWriterBench --dir DIR --key PEM [--entries N] [--warmup-entries N]"
        + " [--producers N] [--window N] [--segment-max-size BYTES] [--checkpoint-every-ms MS]";

    static Options parse(String[] args) {
      Map<String, String> given = new TreeMap<>();
      for (int i = 0; i < args.length; i++) {
        if (!args[i].startsWith("--") || i + 1 == args.length) {
          throw new IllegalArgumentException("bad argument " + args[i]);
        }
        given.put(args[i].substring(2), args[++i]);
      }
      List<String> known = List.of("dir", "key", "entries", "warmup-entries", "producers", "window",
          "segment-max-size", "checkpoint-every-ms");
      for (String name : given.keySet()) {
        if (!known.contains(name)) throw new IllegalArgumentException("unknown option --" + name);
      }
      if (!given.containsKey("dir") || !given.containsKey("key")) {
        throw new IllegalArgumentException("--dir and --key are required");
      }
      Options o = new Options(Path.of(given.get("dir")), Path.of(given.get("key")),
          number(given, "entries", 3_000_000), number(given, "warmup-entries", 300_000),
          (int) number(given, "producers", 2), (int) number(given, "window", 16_384),
          number(given, "segment-max-size", 64L << 20), Duration.ofMillis(number(given, "checkpoint-every-ms", 1000)));
      // Below the queue's 65,536: see the class comment.
      if (o.entries < 1 || o.warmup < 0 || o.producers < 1 || o.window < 1 || o.window > 32_768) {
        throw new IllegalArgumentException("--entries and --producers at least 1, --window 1..32768");
      }
      return o;
    }

    private static long number(Map<String, String> given, String name, long fallback) {
      String text = given.get(name);
      if (text == null) return fallback;
      try {
        return Long.parseLong(text.replace("_", "").toLowerCase(Locale.ROOT));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + ": not a whole number: " + text);
      }
    }
  }
}
