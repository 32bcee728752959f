package io.gatehouse.audit.verify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.AccessRecord;
import io.gatehouse.audit.AuditLogEvents;
import io.gatehouse.audit.log.AuditLog;
import io.gatehouse.audit.log.AuditLogSettings;
import io.gatehouse.audit.log.CheckpointLine;
import io.gatehouse.audit.log.SegmentCompression;
import io.gatehouse.audit.log.SegmentName;
import io.gatehouse.audit.log.Segments;
import io.gatehouse.audit.merkle.Hasher;
import io.gatehouse.audit.merkle.TreeBuilder;
import io.gatehouse.audit.note.Checkpoint;
import io.gatehouse.audit.note.KeyRing;
import io.gatehouse.audit.note.NoteSigner;
import io.gatehouse.audit.verify.Finding.Verdict;
import io.gatehouse.core.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify-log's fast pass on a log long enough that it goes back to a checkpoint in the middle (more than twice the
 * entries it keeps to tell a duplicate): each edit late in the log must be found exactly as reading every line from
 * the start finds it ({@link BothPasses}), in sealed compressed segments and in the open one.
 */
class FastPassTest {
  private static final String ORIGIN = "gatehouse.test/audit/fast";
  private static final NoteSigner SIGNER = new NoteSigner(ORIGIN, new byte[32]);
  private static final NoteSigner FORGER = new NoteSigner(ORIGIN, "thirty-two bytes, not the log's.".getBytes(UTF_8));
  private static final int ENTRIES = 14_000;

  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Path original;

  @BeforeAll
  static void writeALongLog() throws Exception {
    original = shared.resolve("audit");
    AuditLogSettings settings = new AuditLogSettings(original, ORIGIN, "fast", Optional.of(SIGNER),
        KeyRing.of(SIGNER.key()), Duration.ofMillis(100), Duration.ofMinutes(1), 400_000, Duration.ofDays(1),
        Optional.empty(), "test", Clock.systemUTC());
    AuditLog log = AuditLog.open(settings, AuditLogEvents.IGNORE, List.of());
    for (int i = 0; i < ENTRIES; i++) {
      log.write(new AccessRecord(Instant.now(), "req-" + i, "editor", "127.0.0.1", "user-" + (i % 7), "GET",
          "/rest/workflows/" + i, null, 200, 0, 100, 42, Reason.NONE, null, "127.0.0.1:5678", null));
      if (i % 1000 == 999) Thread.sleep(130); // a checkpoint about every thousand entries
    }
    log.close();
  }

  @Test
  void anIntactLongLogVerifiesBothWays() throws Exception {
    LogVerifier.Result result = verify(original);
    assertThat(result.intact()).as("%s", result.findings()).isTrue();
    assertThat(result.entries()).isGreaterThan(ENTRIES);
    assertThat(result.checkpoints()).isGreaterThan(10);
    try (Stream<Path> files = Files.list(original)) {
      assertThat(files.filter(f -> f.toString().endsWith(".zst")).count()).isGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void aModifiedEntryLateInTheLog() throws Exception {
    Path dir = copy();
    Path file = edit(dir, "req-12000", lines -> {
      int i = indexOf(lines, "req-12000");
      lines.set(i, lines.get(i).replace("\"status\":200", "\"status\":500"));
      return lines;
    });
    assertThat(verify(dir).findings()).anySatisfy(f -> {
      assertThat(f.verdict()).isEqualTo(Verdict.MODIFIED);
      assertThat(f.file()).isEqualTo(file);
    });
  }

  @Test
  void aDeletedEntryLateInTheLog() throws Exception {
    Path dir = copy();
    edit(dir, "req-11000", lines -> {
      lines.remove(indexOf(lines, "req-11000"));
      return lines;
    });
    assertThat(verify(dir).findings()).anySatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.DELETED));
  }

  @Test
  void aDuplicatedEntryLaterInItsSegment() throws Exception {
    Path dir = copy();
    edit(dir, "req-10500", lines -> {
      int at = indexOf(lines, "req-10500");
      lines.add(at + 40, lines.get(at));
      return lines;
    });
    assertThat(verify(dir).findings()).anySatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.DUPLICATED));
  }

  @Test
  void anOverlongLineInACompressedSegmentIsAFindingAndLaterSegmentsAreStillRead() throws Exception {
    // A line no writer makes (entries stay under 64 KiB): 2 MiB without a newline, past SegmentLines' 1 MiB bound.
    Path dir = copy();
    Path file = edit(dir, "req-3000", lines -> {
      int at = indexOf(lines, "req-3000");
      lines.set(at, "{\"detail\":\"" + "x".repeat(2 << 20) + "\"}");
      return lines;
    });
    LogVerifier.Result result = verify(dir);
    assertThat(result.findings()).anySatisfy(f -> {
      assertThat(f.verdict()).isEqualTo(Verdict.MALFORMED);
      assertThat(f.file()).isEqualTo(file);
      assertThat(f.detail()).contains("cannot be read past line");
    });
    assertThat(result.entries()).isGreaterThan(ENTRIES - 3000);
  }

  @Test
  void entriesAfterTheLastCheckpointAreReadAndReportedUnsealed() throws Exception {
    Path dir = copy();
    Path open = openSegment(dir);
    List<String> lines = new ArrayList<>(Files.readAllLines(open, UTF_8));
    int last = lines.size() - 1;
    while (!isCheckpoint(lines.get(last))) last--;
    lines.remove(last);
    Files.writeString(open, String.join("\n", lines) + "\n", UTF_8);
    LogVerifier.Result result = verify(dir);
    assertThat(result.findings()).anySatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.UNSEALED));
  }

  @Test
  void aDuplicateUnderCheckpointsReSignedByAnotherKeyIsStillNamed() throws Exception {
    // Someone with write access but not the key writes an entry over the next and recomputes every later root,
    // signing with a key of their own: the roots match, only the signatures fail, and the edit must still be named.
    Path dir = copy();
    List<SegmentName> segments = Segments.list(dir);
    SegmentName target = segments.get(segments.size() - 2); // the last sealed one
    Path edited = dir.resolve(target.fileName());
    TreeBuilder tree = new TreeBuilder();
    Hasher hasher = new Hasher();
    boolean after = false;
    for (SegmentName segment : segments) {
      Path file = dir.resolve(segment.fileName());
      List<String> lines = readLines(file);
      if (segment.equals(target)) {
        int at = 1;
        while (isCheckpoint(lines.get(at)) || isCheckpoint(lines.get(at + 1))) at++;
        lines.set(at + 1, lines.get(at)); // in place of the next one: the segment's name still fits
      }
      for (int i = 0; i < lines.size(); i++) {
        byte[] line = lines.get(i).getBytes(UTF_8);
        if (!isCheckpoint(lines.get(i))) {
          tree.append(hasher.leaf(line, 0, line.length));
          if (segment.equals(target) && i > 0 && lines.get(i).equals(lines.get(i - 1))) after = true;
        } else if (after) {
          Checkpoint was = Checkpoint.parse(KeyRing.textOf(CheckpointLine.decode(line, 0, line.length).orElseThrow()))
              .orElseThrow();
          Checkpoint forged = new Checkpoint(ORIGIN, tree.size(), tree.root(), was.time());
          lines.set(i, new String(CheckpointLine.encode(FORGER.sign(forged.body())), UTF_8));
        }
      }
      if (after) writeLines(file, lines);
    }
    assertThat(after).isTrue();
    assertThat(verify(dir).findings())
        .anySatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.BAD_SIGNATURE))
        .anySatisfy(f -> {
          assertThat(f.verdict()).isEqualTo(Verdict.DUPLICATED);
          assertThat(f.file()).isEqualTo(edited);
        })
        .anySatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.DELETED))
        .noneSatisfy(f -> assertThat(f.verdict()).isIn(Verdict.MISMATCH, Verdict.SEGMENT_NAME));
  }

  private static List<String> readLines(Path file) throws IOException {
    try (InputStream in = SegmentCompression.ofFileName(file.getFileName().toString()).reader(Files.newInputStream(file))) {
      return new ArrayList<>(new String(in.readAllBytes(), UTF_8).lines().toList());
    }
  }

  private static void writeLines(Path file, List<String> lines) throws IOException {
    try (OutputStream out = SegmentCompression.ofFileName(file.getFileName().toString())
        .writer(Files.newOutputStream(file))) {
      out.write((String.join("\n", lines) + "\n").getBytes(UTF_8));
    }
  }

  private static boolean isCheckpoint(String line) {
    return line.startsWith("{\"checkpoint\"");
  }

  private static Path openSegment(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches("seg-\\d{20}\\.jsonl")).findFirst().orElseThrow();
    }
  }

  private static LogVerifier.Result verify(Path dir) throws IOException {
    return BothPasses.verify(new LogVerifier(List.of(new PublicKeyWindow(SIGNER.key().publicKey(), Optional.empty(),
        Optional.empty())), Optional.empty(), Optional.empty(), Instant.now()), dir);
  }

  private Path copy() throws IOException {
    Path dir = tmp.resolve("audit");
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(original)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("LOCK")) Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    return dir;
  }

  /** Rewrites the segment whose lines hold {@code requestId}, in its own compression; returns it. */
  private static Path edit(Path dir, String requestId, UnaryOperator<List<String>> change) throws IOException {
    String needle = "\"request_id\":\"" + requestId + "\"";
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList()) {
        SegmentCompression compression = SegmentCompression.ofFileName(f.getFileName().toString());
        List<String> lines;
        try (InputStream in = compression.reader(Files.newInputStream(f))) {
          lines = new ArrayList<>(new String(in.readAllBytes(), UTF_8).lines().toList());
        }
        if (lines.stream().noneMatch(l -> l.contains(needle))) continue;
        List<String> changed = change.apply(lines);
        try (OutputStream out = compression.writer(Files.newOutputStream(f))) {
          out.write((String.join("\n", changed) + "\n").getBytes(UTF_8));
        }
        return f;
      }
    }
    throw new AssertionError("no segment holds " + requestId);
  }

  private static int indexOf(List<String> lines, String requestId) {
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("\"request_id\":\"" + requestId + "\"")) return i;
    throw new AssertionError(requestId);
  }
}
