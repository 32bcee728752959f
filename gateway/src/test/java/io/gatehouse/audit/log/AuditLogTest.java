package io.gatehouse.audit.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.audit.AccessRecord;
import io.gatehouse.audit.AuditLogEvents;
import io.gatehouse.audit.merkle.Hasher;
import io.gatehouse.audit.merkle.TreeBuilder;
import io.gatehouse.audit.note.Checkpoint;
import io.gatehouse.audit.note.KeyRing;
import io.gatehouse.audit.note.NoteSigner;
import io.gatehouse.core.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  @TempDir Path tmp;

  private final RecordingEvents events = new RecordingEvents();
  private final NoteSigner signer = new NoteSigner("gatehouse.test/audit/r1", new byte[32]);

  @Test
  void writesEveryEntryOnceInOrderPerThreadWithConsecutiveSeqsAndAHashChain() throws Exception {
    AuditLog log = AuditLog.open(settings(), events, List.of());
    int threads = 4;
    int perThread = 2_500;
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String prefix = "t" + t + "-";
      producers.add(new Thread(() -> {
        for (int i = 0; i < perThread; i++) log.write(record(prefix + i));
      }));
    }
    producers.forEach(Thread::start);
    for (Thread producer : producers) producer.join();
    log.close();

    List<JsonNode> entries = LogEntries.all(tmp);
    assertThat(entries.get(0).get("kind").asText()).isEqualTo("start");
    assertThat(entries.get(entries.size() - 1).get("kind").asText()).isEqualTo("stop");
    Map<String, Integer> lastSeen = new HashMap<>();
    int requests = 0;
    for (int i = 0; i < entries.size(); i++) {
      JsonNode entry = entries.get(i);
      assertThat(entry.get("seq").asLong()).isEqualTo(i);
      assertThat(entry.get("replica").asText()).isEqualTo("r1");
      if (!entry.get("kind").asText().equals("request")) continue;
      requests++;
      String[] id = entry.get("request_id").asText().split("-");
      int previous = lastSeen.getOrDefault(id[0], -1);
      assertThat(Integer.parseInt(id[1])).as("order of %s", id[0]).isEqualTo(previous + 1);
      lastSeen.put(id[0], previous + 1);
    }
    assertThat(requests).isEqualTo(threads * perThread);
    assertThat(events.dropped).hasValue(0);
    assertThat(events.writeFailures).hasValue(0);
    assertThat(rebuiltChainAndLastCheckpoint(tmp)).isEqualTo(entries.size());
  }

  @Test
  void signsACheckpointEveryIntervalWhileEntriesArriveAndAHeartbeatWhenIdle() throws Exception {
    AuditLogSettings settings = new AuditLogSettings(tmp, "gatehouse.test/audit/r1", "r1", java.util.Optional.of(signer),
        KeyRing.of(signer.key()), Duration.ofMillis(200), Duration.ofMillis(600), 256L << 20, Duration.ofDays(1),
        java.util.Optional.empty(), "test", java.time.Clock.systemUTC());
    AuditLog log = AuditLog.open(settings, events, List.of());
    try {
      for (int i = 0; i < 5; i++) log.write(record("a" + i));
      await(() -> log.latestCheckpoint().map(n -> parse(n).size()).orElse(-1L) == 6);
      int before = events.checkpoints.get();
      Thread.sleep(1_500); // idle: at most two or three heartbeats, all of the same size
      int heartbeats = events.checkpoints.get() - before;
      assertThat(heartbeats).isBetween(1, 3);
      String note = log.latestCheckpoint().orElseThrow();
      assertThat(parse(note).size()).isEqualTo(6);
      assertThat(KeyRing.of(signer.key()).judge(note, parse(note).time())).isEqualTo(KeyRing.Verdict.VALID);
      assertThat(parse(note).time()).isPresent();
    } finally {
      log.close();
    }
  }

  @Test
  void aRestartContinuesTheTreeRecordsTheUnsealedTailAndCutsAHalfWrittenLine() throws Exception {
    AuditLog first = AuditLog.open(settings(), events, List.of());
    first.write(record("old"));
    first.close();
    // What a crash leaves: entries after the last checkpoint and half a line.
    Path segment = tmp.resolve(SegmentName.open(0).fileName());
    long sealedSize = LogEntries.all(tmp).size();
    String prev = Base64.getEncoder().encodeToString(lastLeaf(segment));
    String tail = "{\"config\":\"\",\"kind\":\"stop\",\"prev\":\"" + prev + "\",\"reason\":\"x\",\"replica\":\"r1\",\"seq\":"
        + sealedSize + ",\"time\":\"2026-12-01T00:00:00.000Z\"}\n{\"config\":\"\",\"kin";
    Files.writeString(segment, tail, java.nio.file.StandardOpenOption.APPEND);

    AuditLog second = AuditLog.open(settings(), events, List.of());
    second.write(record("new"));
    second.close();

    List<JsonNode> entries = LogEntries.all(tmp);
    JsonNode start = entries.stream().filter(e -> e.get("kind").asText().equals("start")).skip(1).findFirst().orElseThrow();
    assertThat(start.get("unsealed_tail").get("first").asLong()).isEqualTo(sealedSize);
    assertThat(start.get("unsealed_tail").get("last").asLong()).isEqualTo(sealedSize);
    assertThat(start.get("torn_bytes").asLong()).isEqualTo("{\"config\":\"\",\"kin".length());
    assertThat(entries).extracting(e -> e.path("request_id").asText()).contains("old", "new");
    assertThat(rebuiltChainAndLastCheckpoint(tmp)).isEqualTo(entries.size());
  }

  @Test
  void aRestartWithoutStateJsonRereadsTheSegments() throws Exception {
    AuditLog first = AuditLog.open(settings(), events, List.of());
    for (int i = 0; i < 100; i++) first.write(record("r" + i));
    first.close();
    Files.delete(tmp.resolve(LogState.FILE_NAME));
    AuditLog second = AuditLog.open(settings(), events, List.of());
    second.write(record("after"));
    second.close();
    assertThat(rebuiltChainAndLastCheckpoint(tmp)).isEqualTo(LogEntries.all(tmp).size());
  }

  @Test
  void refusesToContinueALogEditedWhileTheGatewayWasStopped() throws Exception {
    AuditLog first = AuditLog.open(settings(), events, List.of());
    for (int i = 0; i < 10; i++) first.write(record("r" + i));
    first.close();
    Path segment = tmp.resolve(SegmentName.open(0).fileName());
    Files.writeString(segment, Files.readString(segment).replace("\"request_id\":\"r3\"", "\"request_id\":\"r9\""));
    Files.delete(tmp.resolve(LogState.FILE_NAME));

    assertThatThrownBy(() -> AuditLog.open(settings(), events, List.of()))
        .isInstanceOf(AuditLogException.class)
        .hasMessageContaining("does not follow");
  }

  @Test
  void refusesALogTheWitnessSawGrowFurther() throws Exception {
    Path witness = tmp.resolve("witness");
    Path dir = tmp.resolve("audit");
    AuditLog first = AuditLog.open(settings(dir).withWitness(witness), events, List.of());
    for (int i = 0; i < 10; i++) first.write(record("r" + i));
    first.close();
    // Roll the directory back to an empty log: the witness still holds the checkpoints.
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) if (!f.getFileName().toString().equals("LOCK")) Files.delete(f);
    }
    assertThatThrownBy(() -> AuditLog.open(settings(dir).withWitness(witness), events, List.of()))
        .isInstanceOf(AuditLogException.class)
        .hasMessageContaining("witness");
  }

  @Test
  void aSecondWriterOfOneDirectoryIsRefused() throws Exception {
    AuditLog first = AuditLog.open(settings(), events, List.of());
    try {
      assertThatThrownBy(() -> AuditLog.open(settings(), events, List.of()))
          .isInstanceOf(AuditLogException.class)
          .hasMessageContaining("already writes");
    } finally {
      first.close();
    }
  }

  @Test
  void rollsSegmentsSealsThemWithACheckpointAndCompressesThem() throws Exception {
    AuditLog log = AuditLog.open(settings().withSegmentMaxSize(4_000), events, List.of());
    for (int i = 0; i < 200; i++) {
      log.write(record("r" + i));
      if (i % 20 == 0) Thread.sleep(30);
    }
    log.close();
    List<SegmentName> segments = Segments.list(tmp);
    assertThat(segments.size()).isGreaterThan(2);
    for (SegmentName s : segments.subList(0, segments.size() - 1)) {
      assertThat(s.compression()).as(s.fileName()).isEqualTo(SegmentCompression.ZSTD);
      assertThat(s.from()).isBeforeOrEqualTo(s.to());
    }
    assertThat(segments.get(segments.size() - 1).isOpen()).isTrue();
    assertThat(rebuiltChainAndLastCheckpoint(tmp)).isEqualTo(LogEntries.all(tmp).size());
  }

  @Test
  void aRestartFinishesCompressionsACrashInterrupted() throws Exception {
    AuditLog log = AuditLog.open(settings().withSegmentMaxSize(4_000), events, List.of());
    for (int i = 0; i < 200; i++) {
      log.write(record("r" + i));
      if (i % 20 == 0) Thread.sleep(30);
    }
    log.close();
    long entries = LogEntries.all(tmp).size();
    List<SegmentName> sealed = Segments.list(tmp).stream().filter(SegmentName::compressed).toList();
    assertThat(sealed.size()).isGreaterThanOrEqualTo(2);
    // A crash while the copy was written: the plain file and a partial copy.
    Path first = tmp.resolve(sealed.get(0).fileName());
    Path firstPlain = plainCopy(first);
    Files.delete(first);
    Files.write(tmp.resolve(first.getFileName() + ".tmp"), new byte[] {40, -75, 47, -3});
    // A crash after the rename, before the plain file was removed.
    Path second = tmp.resolve(sealed.get(1).fileName());
    Path secondPlain = plainCopy(second);

    AuditLog.open(settings().withSegmentMaxSize(4_000), events, List.of()).close();

    assertThat(firstPlain).doesNotExist();
    assertThat(secondPlain).doesNotExist();
    assertThat(first).exists();
    assertThat(second).exists();
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    assertThat(LogEntries.all(tmp)).as("the entries before, and the second run's start and stop").hasSize((int) entries + 2);
    assertThat(rebuiltChainAndLastCheckpoint(tmp)).isEqualTo(entries + 2);
  }

  @Test
  void eachCompressionReadsBackTheSameLines() throws Exception {
    byte[] text = ("{\"seq\":0}\n" + "{\"seq\":1,\"detail\":\"" + "x".repeat(100_000) + "\"}\n").getBytes(UTF_8);
    for (SegmentCompression compression : SegmentCompression.values()) {
      if (compression == SegmentCompression.NONE) continue;
      Path plain = tmp.resolve(compression + ".jsonl");
      Files.write(plain, text);
      Sealer.compressNow(plain, compression);
      Path stored = tmp.resolve(plain.getFileName() + compression.suffix());
      assertThat(plain).doesNotExist();
      assertThat(Files.size(stored)).as("%s compresses", compression).isLessThan(text.length / 10);
      List<String> lines = new ArrayList<>();
      try (SegmentLines in = SegmentLines.open(stored)) {
        while (in.next()) lines.add(new String(in.buffer(), in.offset(), in.length(), UTF_8));
      }
      assertThat(String.join("\n", lines) + "\n").isEqualTo(new String(text, UTF_8));
    }
  }

  /** Writes the segment's lines to its plain (sealed, uncompressed) name beside it. */
  private static Path plainCopy(Path compressed) throws Exception {
    String name = compressed.getFileName().toString();
    Path plain = compressed.resolveSibling(name.substring(0, name.lastIndexOf('.')));
    try (var in = SegmentCompression.ofFileName(name).reader(Files.newInputStream(compressed))) {
      Files.write(plain, in.readAllBytes());
    }
    return plain;
  }

  @Test
  void dropsAndCountsEntriesWhenTheQueueIsFullWithoutBlocking() throws Exception {
    AuditLog log = AuditLog.open(settings(), events, List.of(), 8);
    try {
      long started = System.nanoTime();
      int accepted = 0;
      for (int i = 0; i < 100_000; i++) if (log.write(record("x" + i))) accepted++;
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      assertThat(events.dropped.get()).isEqualTo(100_000 - accepted).isPositive();
      assertThat(events.healthChanges).contains(false);
    } finally {
      log.close();
    }
  }

  @Test
  void aFailingDirectoryMakesTheLogUnwritableUntilItIsBackAndLosesNothingQueued() throws Exception {
    Path dir = tmp.resolve("audit");
    // Sealing renames inside the directory: with the directory gone, every roll fails, as a full or removed disk does.
    AuditLog log = AuditLog.open(settings(dir).withSegmentMaxSize(1), events, List.of());
    try {
      log.write(record("before"));
      await(() -> LogEntries.all(dir).stream().anyMatch(e -> e.path("request_id").asText().equals("before")));
      Path moved = tmp.resolve("moved");
      Files.move(dir, moved);
      Files.writeString(dir, "a file where the audit directory should be");
      log.write(record("during"));
      await(() -> !log.writable());
      assertThat(events.writeFailures.get()).isPositive();
      Files.delete(dir);
      Files.move(moved, dir);
      await(log::writable);
      log.write(record("after"));
    } finally {
      log.close();
    }
    assertThat(LogEntries.all(dir)).extracting(e -> e.path("request_id").asText())
        .contains("before", "during", "after");
    assertThat(events.healthChanges).containsSubsequence(false, true);
    assertThat(rebuiltChainAndLastCheckpoint(dir)).isEqualTo(LogEntries.all(dir).size());
  }

  @Test
  void aHungDiskMakesTheLogUnwritableWithinTheStallBoundAndWritableOnceItMovesAgain() throws Exception {
    // A FIFO as the witness file: opening it for writing blocks until a reader comes, as a hung NFS mount blocks.
    Path witness = tmp.resolve("witness");
    Files.createDirectories(witness);
    Path fifo = witness.resolve(Witness.fileName("gatehouse.test/audit/r1"));
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    AuditLog log = AuditLog.open(settings(tmp.resolve("audit")).withWitness(witness), events, List.of());
    try {
      log.write(record("stuck"));
      await(() -> !log.writable());
      long stuckAt = System.nanoTime();
      assertThat(log.write(record("queued"))).as("writing never blocks the caller").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - stuckAt)).isLessThan(Duration.ofMillis(100));
      try (var reader = Files.newInputStream(fifo)) { // the disk answers again
        await(log::writable);
      }
    } finally {
      Files.delete(fifo); // later checkpoints go to a plain file again
      log.close();
    }
    assertThat(LogEntries.all(tmp.resolve("audit"))).extracting(e -> e.path("request_id").asText())
        .contains("stuck", "queued");
  }

  @Test
  void aNewSigningKeyContinuesTheLogWithAKeyEntryWhenTheOldKeyIsTrusted() throws Exception {
    AuditLog first = AuditLog.open(settings(), events, List.of());
    first.write(record("signed-by-old"));
    first.close();
    NoteSigner newer = new NoteSigner("gatehouse.test/audit/r1", filled(5));
    AuditLogSettings rotated = new AuditLogSettings(tmp, "gatehouse.test/audit/r1", "r1", java.util.Optional.of(newer),
        new KeyRing(List.of(new KeyRing.Trusted(newer.key(), java.util.Optional.empty(), java.util.Optional.empty()),
            new KeyRing.Trusted(signer.key(), java.util.Optional.empty(), java.util.Optional.empty()))),
        Duration.ofMillis(100), Duration.ofMinutes(1), 256L << 20, Duration.ofDays(1), java.util.Optional.empty(),
        "test", java.time.Clock.systemUTC());
    AuditLog second = AuditLog.open(rotated, events, List.of());
    second.write(record("signed-by-new"));
    second.close();

    JsonNode key = LogEntries.all(tmp).stream().filter(e -> e.get("kind").asText().equals("key")).findFirst().orElseThrow();
    assertThat(key.get("key_id").asText()).isEqualTo(String.format("%08x", newer.key().keyId()));
    assertThat(key.get("previous_key_id").asText()).isEqualTo(String.format("%08x", signer.key().keyId()));
    assertThat(key.get("verifier_key").asText()).isEqualTo(newer.key().verifierKey());
    var both = new io.gatehouse.audit.verify.LogVerifier(List.of(
        new io.gatehouse.audit.verify.PublicKeyWindow(signer.key().publicKey(), java.util.Optional.empty(),
            java.util.Optional.empty()),
        new io.gatehouse.audit.verify.PublicKeyWindow(newer.key().publicKey(), java.util.Optional.empty(),
            java.util.Optional.empty())), java.util.Optional.empty(), java.util.Optional.empty(), Instant.now());
    assertThat(both.verify(tmp).findings()).isEmpty();

    // Without the old key listed, a restart refuses: it could not tell its last checkpoint from a forged one.
    AuditLogSettings untrusting = new AuditLogSettings(tmp, "gatehouse.test/audit/r1", "r1",
        java.util.Optional.of(new NoteSigner("gatehouse.test/audit/r1", filled(6))),
        KeyRing.of(new NoteSigner("gatehouse.test/audit/r1", filled(6)).key()), Duration.ofMillis(100),
        Duration.ofMinutes(1), 256L << 20, Duration.ofDays(1), java.util.Optional.empty(), "test",
        java.time.Clock.systemUTC());
    assertThatThrownBy(() -> AuditLog.open(untrusting, events, List.of()))
        .isInstanceOf(AuditLogException.class).hasMessageContaining("audit.public_keys");
  }

  @Test
  void anEntryOverTheTlogTilesLimitIsWrittenCutWithItsOriginalSize() throws Exception {
    AuditLog log = AuditLog.open(settings(), events, List.of());
    List<String> huge = java.util.Collections.nCopies(100, "x".repeat(4_000));
    log.write(io.gatehouse.audit.LogEvent.of("config", Instant.now(), "event", "reload", "changed", huge));
    log.close();
    JsonNode cut = LogEntries.all(tmp).stream().filter(e -> e.has("cut")).findFirst().orElseThrow();
    assertThat(cut.get("cut").asLong()).isGreaterThan(AuditLog.MAX_ENTRY);
    assertThat(cut.get("kind").asText()).isEqualTo("config");
    assertThat(Files.readAllLines(tmp.resolve(SegmentName.open(0).fileName())))
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(AuditLog.MAX_ENTRY));
    assertThat(rebuiltChainAndLastCheckpoint(tmp)).isEqualTo(LogEntries.all(tmp).size());
  }

  @Test
  void aValueCraftedToLookLikeLinesStaysInsideItsEntry() throws Exception {
    // An identity (a token's sub, an e-mail) is attacker-chosen: it must not split its entry or forge a checkpoint.
    String forged = "x\"}\n{\"checkpoint\":\"fake\"}\r\n{\"seq\":0,\u2028\u0000";
    AuditLog log = AuditLog.open(settings(), events, List.of());
    log.write(new AccessRecord(Instant.now(), "evil", "editor", "127.0.0.1", forged, "GET", "/x", null, 200, 0, 0, 1,
        Reason.NONE, forged, null, forged));
    log.close();
    JsonNode entry = LogEntries.all(tmp).stream().filter(e -> e.path("request_id").asText().equals("evil"))
        .findFirst().orElseThrow();
    assertThat(entry.get("identity").asText()).isEqualTo(forged);
    assertThat(entry.get("tls_client_subject").asText()).isEqualTo(forged);
    List<String> lines = Files.readAllLines(tmp.resolve(SegmentName.open(0).fileName()));
    assertThat(lines).filteredOn(l -> l.contains("evil")).hasSize(1);
    assertThat(lines).filteredOn(l -> l.startsWith("{\"checkpoint\":\"fake")).isEmpty();
    assertThat(rebuiltChainAndLastCheckpoint(tmp)).isEqualTo(LogEntries.all(tmp).size());
  }

  private static byte[] filled(int value) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  @Test
  void drainsOnADaemonThreadNamedForTheAuditWriter() throws Exception {
    AuditLog log = AuditLog.open(settings(), events, List.of());
    try {
      assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(t -> {
        assertThat(t.getName()).isEqualTo(AuditLog.THREAD_NAME);
        assertThat(t.isDaemon()).isTrue();
      });
    } finally {
      log.close();
    }
  }

  /**
   * Rebuilds the chain and tree from the files alone, checks every checkpoint line against it (size, root,
   * signature), and returns the number of entries the last checkpoint covers.
   */
  static long rebuiltChainAndLastCheckpoint(Path dir) throws Exception {
    Hasher hasher = new Hasher();
    TreeBuilder tree = new TreeBuilder();
    byte[] prev = new byte[32];
    long lastCheckpoint = -1;
    EntryScan scan = new EntryScan();
    for (SegmentName segment : Segments.list(dir)) {
      try (SegmentLines lines = SegmentLines.open(dir.resolve(segment.fileName()))) {
        while (lines.next()) {
          assertThat(lines.terminated()).isTrue();
          if (CheckpointLine.looksLikeOne(lines.buffer(), lines.offset(), lines.length())) {
            String note = CheckpointLine.decode(lines.buffer(), lines.offset(), lines.length()).orElseThrow();
            Checkpoint checkpoint = parse(note);
            assertThat(checkpoint.size()).isEqualTo(tree.size());
            assertThat(checkpoint.hasRoot(tree.root())).as("root at %d", tree.size()).isTrue();
            lastCheckpoint = checkpoint.size();
            continue;
          }
          assertThat(scan.scan(lines.buffer(), lines.offset(), lines.length())).isTrue();
          assertThat(scan.seq()).isEqualTo(tree.size());
          assertThat(scan.prev()).isEqualTo(Base64.getEncoder().encodeToString(prev));
          prev = hasher.leaf(lines.buffer(), lines.offset(), lines.length());
          tree.append(prev);
        }
      }
    }
    return lastCheckpoint;
  }

  @Test
  void entriesCarryTheConfigInForceAndARefusedReloadDoesNotChangeIt() throws Exception {
    AuditLog log = AuditLog.open(settings(), events, List.of());
    String loaded = "a".repeat(64);
    String refused = "b".repeat(64);
    log.write(io.gatehouse.audit.LogEvent.of("config", Instant.now(), "event", "load", "sha256", loaded));
    log.write(record("after-load"));
    log.write(io.gatehouse.audit.LogEvent.of("config", Instant.now(), "event", "reload_refused", "sha256", refused));
    log.write(record("after-refusal"));
    log.close();

    Map<String, String> configOf = new HashMap<>();
    for (JsonNode entry : LogEntries.all(tmp)) {
      if (entry.has("request_id")) configOf.put(entry.get("request_id").asText(), entry.get("config").asText());
    }
    assertThat(configOf).containsEntry("after-load", "a".repeat(16)).containsEntry("after-refusal", "a".repeat(16));
  }

  private static byte[] lastLeaf(Path segment) throws Exception {
    byte[] leaf = null;
    try (SegmentLines lines = SegmentLines.open(segment)) {
      while (lines.next()) {
        if (!CheckpointLine.looksLikeOne(lines.buffer(), lines.offset(), lines.length())) {
          leaf = new Hasher().leaf(lines.buffer(), lines.offset(), lines.length());
        }
      }
    }
    return leaf;
  }

  private static Checkpoint parse(String note) {
    return Checkpoint.parse(KeyRing.textOf(note)).orElseThrow();
  }

  private AuditLogSettings settings() {
    return settings(tmp);
  }

  private AuditLogSettings settings(Path dir) {
    return new AuditLogSettings(dir, "gatehouse.test/audit/r1", "r1", java.util.Optional.of(signer),
        KeyRing.of(signer.key()), Duration.ofMillis(100), Duration.ofMinutes(1), 256L << 20, Duration.ofDays(1),
        java.util.Optional.empty(), "test", java.time.Clock.systemUTC());
  }

  static AccessRecord record(String requestId) {
    return new AccessRecord(Instant.now(), requestId, "editor", "127.0.0.1", null, "GET", "/rest/login", null, 200,
        0, 10, 42, Reason.NONE, null, "127.0.0.1:5678", null);
  }

  private static void await(ThrowingCondition condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
      Thread.sleep(10);
    }
  }

  @FunctionalInterface
  private interface ThrowingCondition {
    boolean holds() throws Exception;
  }

  private static final class RecordingEvents implements AuditLogEvents {
    final AtomicInteger dropped = new AtomicInteger();
    final AtomicInteger writeFailures = new AtomicInteger();
    final AtomicInteger checkpoints = new AtomicInteger();
    final List<Boolean> healthChanges = new CopyOnWriteArrayList<>();

    @Override public void entryDropped() {
      dropped.incrementAndGet();
    }

    @Override public void writeFailed() {
      writeFailures.incrementAndGet();
    }

    @Override public void healthChanged(boolean writable) {
      healthChanges.add(writable);
    }

    @Override public void checkpointWritten(long coverMicros) {
      checkpoints.incrementAndGet();
    }
  }
}
