package io.gatehouse.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.AccessRecord;
import io.gatehouse.audit.AuditLogEvents;
import io.gatehouse.audit.log.AuditLog;
import io.gatehouse.audit.log.AuditLogSettings;
import io.gatehouse.audit.log.CheckpointLine;
import io.gatehouse.audit.log.SegmentCompression;
import io.gatehouse.audit.log.SegmentName;
import io.gatehouse.audit.log.Segments;
import io.gatehouse.audit.log.Witness;
import io.gatehouse.audit.note.Checkpoint;
import io.gatehouse.audit.note.KeyRing;
import io.gatehouse.audit.note.NoteSigner;
import io.gatehouse.audit.verify.Finding.Verdict;
import io.gatehouse.core.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tamper suite: a real log written by {@link AuditLog} (sealed and compressed segments, an open one, a witness),
 * then edited each way an attacker with write access to the directory could, and each edit must be found where it
 * was made.
 */
class LogVerifierTest {
  private static final String ORIGIN = "gatehouse.test/audit/r1";
  private static final NoteSigner SIGNER = new NoteSigner(ORIGIN, new byte[32]);
  private static final NoteSigner OTHER = new NoteSigner(ORIGIN, filled(7));

  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Path original;
  private static Path originalWitness;

  @BeforeAll
  static void writeARealLog() throws Exception {
    original = shared.resolve("audit");
    originalWitness = shared.resolve("witness");
    AuditLogSettings settings = new AuditLogSettings(original, ORIGIN, "r1", Optional.of(SIGNER), KeyRing.of(SIGNER.key()),
        Duration.ofMillis(100), Duration.ofMinutes(1), 30_000, Duration.ofDays(1), Optional.of(originalWitness), "test",
        Clock.systemUTC());
    AuditLog log = AuditLog.open(settings, AuditLogEvents.IGNORE, List.of());
    for (int i = 0; i < 400; i++) {
      log.write(new AccessRecord(Instant.now(), "req-" + i, "editor", "127.0.0.1", "user-" + (i % 7), "GET",
          "/rest/workflows/" + i, null, 200, 0, 100, 42, Reason.NONE, null, "127.0.0.1:5678", null));
      if (i % 15 == 0) Thread.sleep(120); // several checkpoints, several segments
    }
    log.close();
    assertThat(Segments.list(original).stream().filter(SegmentName::compressed).count()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void anUntouchedLogIsIntact() throws Exception {
    LogVerifier.Result result = verify(copy(), true);
    assertThat(result.findings()).isEmpty();
    assertThat(result.intact()).isTrue();
    assertThat(result.entries()).isGreaterThan(240);
    assertThat(result.checkpoints()).isGreaterThan(5);
  }

  @Test
  void aModifiedEntryIsNamedByItsLine() throws Exception {
    Path dir = copy();
    Path open = openSegment(dir);
    List<String> lines = lines(open);
    int target = entryFollowedByEntry(lines);
    lines.set(target, lines.get(target).replace("\"status\":200", "\"status\":403"));
    write(open, lines);
    assertThat(verify(dir, true).findings())
        .anySatisfy(f -> assertFinding(f, Verdict.MODIFIED, open, target + 1))
        .anySatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.MISMATCH));
  }

  @Test
  void aModifiedEntryInACompressedSealedSegmentIsFoundToo() throws Exception {
    Path dir = copy();
    Path sealed = dir.resolve(Segments.list(dir).get(0).fileName());
    assertThat(sealed.getFileName().toString()).endsWith(".jsonl.zst");
    List<String> lines = decompress(sealed);
    int target = entryFollowedByEntry(lines);
    lines.set(target, lines.get(target).replace("\"identity\":\"user-", "\"identity\":\"someone-else-"));
    compress(sealed, lines);
    assertThat(verify(dir, true).findings()).anySatisfy(f -> assertFinding(f, Verdict.MODIFIED, sealed, target + 1));
  }

  @Test
  void aSegmentSealedWithGzipAsBeforeZstdStillVerifies() throws Exception {
    Path dir = copy();
    Path zst = dir.resolve(Segments.list(dir).get(0).fileName());
    Path gz = dir.resolve(zst.getFileName().toString().replace(".zst", ".gz"));
    compress(gz, decompress(zst));
    Files.delete(zst);
    assertThat(Segments.list(dir).get(0).compression()).isEqualTo(SegmentCompression.GZIP);
    LogVerifier.Result result = verify(dir, true);
    assertThat(result.intact()).as("%s", result.findings()).isTrue();
    assertThat(result.entries()).isEqualTo(verify(original, true).entries());
  }

  @Test
  void aDamagedCompressedSegmentIsAFindingAndTheRestIsStillRead() throws Exception {
    Path dir = copy();
    Path sealed = dir.resolve(Segments.list(dir).get(0).fileName());
    byte[] bytes = Files.readAllBytes(sealed);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(sealed, bytes);
    LogVerifier.Result result = verify(dir, true);
    assertThat(result.intact()).isFalse();
    assertThat(result.findings())
        .anySatisfy(f -> {
          assertThat(f.verdict()).isEqualTo(Verdict.MALFORMED);
          assertThat(f.file()).isEqualTo(sealed);
          assertThat(f.detail()).contains("cannot be read");
        })
        .anySatisfy(f -> assertThat(f.verdict()).isIn(Verdict.MISSING_SEGMENT, Verdict.DELETED));
    // Every later segment was still read: the log's last entry is counted.
    assertThat(result.entries()).isGreaterThan(Segments.list(dir).get(1).first());
  }

  @Test
  void aDeletedEntryIsFound() throws Exception {
    Path dir = copy();
    Path open = openSegment(dir);
    List<String> lines = lines(open);
    int target = entryFollowedByEntry(lines);
    lines.remove(target);
    write(open, lines);
    assertThat(verify(dir, true).findings()).anySatisfy(f -> assertFinding(f, Verdict.DELETED, open, target + 1));
  }

  @Test
  void anInsertedEntryIsFound() throws Exception {
    Path dir = copy();
    Path open = openSegment(dir);
    List<String> lines = lines(open);
    int target = entryFollowedByEntry(lines);
    lines.add(target + 1, lines.get(target).replace("\"status\":200", "\"status\":201"));
    write(open, lines);
    assertThat(verify(dir, true).findings()).anySatisfy(f -> assertFinding(f, Verdict.INSERTED, open, target + 2));
  }

  @Test
  void aDuplicatedEntryIsFound() throws Exception {
    Path dir = copy();
    Path open = openSegment(dir);
    List<String> lines = lines(open);
    int target = entryFollowedByEntry(lines);
    lines.add(target + 1, lines.get(target));
    write(open, lines);
    assertThat(verify(dir, true).findings()).anySatisfy(f -> assertFinding(f, Verdict.DUPLICATED, open, target + 2));
  }

  @Test
  void reorderedEntriesAreFound() throws Exception {
    Path dir = copy();
    Path open = openSegment(dir);
    List<String> lines = lines(open);
    int target = entryFollowedByEntry(lines);
    String first = lines.get(target);
    lines.set(target, lines.get(target + 1));
    lines.set(target + 1, first);
    write(open, lines);
    List<Finding> findings = verify(dir, true).findings();
    assertThat(findings).anySatisfy(f -> assertFinding(f, Verdict.REORDERED, open, target + 2));
    assertThat(findings).noneMatch(f -> f.verdict() == Verdict.DELETED);
  }

  @Test
  void aBadSignatureIsFound() throws Exception {
    Path dir = copy();
    Path open = openSegment(dir);
    List<String> lines = lines(open);
    int target = lastCheckpoint(lines);
    String note = note(lines.get(target));
    int sig = note.lastIndexOf(' ') + 5;
    String forged = note.substring(0, sig) + (note.charAt(sig) == 'A' ? 'B' : 'A') + note.substring(sig + 1);
    lines.set(target, new String(CheckpointLine.encode(forged), StandardCharsets.UTF_8));
    write(open, lines);
    assertThat(verify(dir, true).findings()).anySatisfy(f -> assertFinding(f, Verdict.BAD_SIGNATURE, open, target + 1));
  }

  @Test
  void aRemovedSignatureIsFound() throws Exception {
    Path dir = copy();
    Path open = openSegment(dir);
    List<String> lines = lines(open);
    int target = lastCheckpoint(lines);
    lines.set(target, new String(CheckpointLine.encode(KeyRing.textOf(note(lines.get(target)))), StandardCharsets.UTF_8));
    write(open, lines);
    assertThat(verify(dir, true).findings()).anySatisfy(f -> assertFinding(f, Verdict.UNSIGNED, open, target + 1));
  }

  @Test
  void aMissingSegmentIsFound() throws Exception {
    Path dir = copy();
    Files.delete(dir.resolve(Segments.list(dir).get(1).fileName()));
    assertThat(verify(dir, true).findings()).anySatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.MISSING_SEGMENT));
  }

  @Test
  void aTailCutPastAWitnessedCheckpointIsFoundWithTheWitness() throws Exception {
    Path dir = copy();
    Path open = openSegment(dir);
    List<String> lines = lines(open);
    // Cut everything after the first checkpoint of the open segment: self-consistent, but the witness saw more.
    int keep = firstCheckpoint(lines) + 1;
    write(open, lines.subList(0, keep));
    assertThat(verify(dir, false).intact()).as("without the witness the cut is invisible").isTrue();
    List<Finding> findings = verify(dir, true).findings();
    assertThat(findings).as(findings.toString()).anySatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.TRUNCATED));
  }

  @Test
  void aForkAgainstTheWitnessIsFound() throws Exception {
    Path dir = copy();
    Path witness = tmp.resolve("witness");
    Path file = witness.resolve(Witness.fileName(ORIGIN));
    List<String> lines = lines(file);
    Checkpoint seen = Checkpoint.parse(KeyRing.textOf(note(lines.get(1)))).orElseThrow();
    Checkpoint other = new Checkpoint(ORIGIN, seen.size(), filled(9), seen.time());
    lines.add(new String(CheckpointLine.encode(SIGNER.sign(other.body())), StandardCharsets.UTF_8));
    write(file, lines);
    assertThat(verify(dir, true).findings()).anySatisfy(f -> assertFinding(f, Verdict.FORK, file, lines.size()));
  }

  @Test
  void aRollbackInsideTheLogIsFound() throws Exception {
    Path dir = copy();
    Path open = openSegment(dir);
    List<String> lines = lines(open);
    Checkpoint old = Checkpoint.parse(KeyRing.textOf(note(lines.get(lastCheckpoint(lines))))).orElseThrow();
    Checkpoint smaller = new Checkpoint(ORIGIN, old.size() - 3, filled(3), old.time());
    lines.add(new String(CheckpointLine.encode(SIGNER.sign(smaller.body())), StandardCharsets.UTF_8));
    write(open, lines);
    assertThat(verify(dir, true).findings()).anySatisfy(f -> assertFinding(f, Verdict.ROLLBACK, open, lines.size()));
  }

  @Test
  void aStaleLogIsFoundWithMaxStaleness() throws Exception {
    LogVerifier verifier = new LogVerifier(List.of(key(SIGNER)), Optional.empty(), Optional.of(Duration.ofMinutes(5)),
        Instant.now().plus(Duration.ofHours(1)));
    assertThat(BothPasses.verify(verifier, copy()).findings()).anySatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.STALE));
  }

  @Test
  void aCheckpointSignedOutsideItsKeysWindowIsFound() throws Exception {
    PublicKeyWindow retired = new PublicKeyWindow(SIGNER.key().publicKey(), Optional.empty(),
        Optional.of(Instant.now().minus(Duration.ofDays(1))));
    LogVerifier verifier = new LogVerifier(List.of(retired), Optional.empty(), Optional.empty(), Instant.now());
    assertThat(BothPasses.verify(verifier, copy()).findings()).anySatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.KEY_WINDOW));
  }

  @Test
  void anotherKeyIsNotTrusted() throws Exception {
    LogVerifier verifier = new LogVerifier(List.of(key(OTHER)), Optional.empty(), Optional.empty(), Instant.now());
    LogVerifier.Result result = BothPasses.verify(verifier, copy());
    assertThat(result.intact()).isFalse();
    assertThat(result.findings()).allSatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.BAD_SIGNATURE));
  }

  @Test
  void entriesAfterTheLastCheckpointAreReportedAsTheUnsealedTailWithoutFailing() throws Exception {
    Path dir = copy();
    Path open = openSegment(dir);
    List<String> lines = lines(open);
    // A log whose writer died after writing entries and before signing them.
    write(open, withoutLastCheckpoint(lines));
    LogVerifier.Result result = verify(dir, false);
    assertThat(result.findings()).singleElement().satisfies(f -> assertThat(f.verdict()).isEqualTo(Verdict.UNSEALED));
    assertThat(result.intact()).isTrue();
  }

  private static List<String> withoutLastCheckpoint(List<String> lines) {
    List<String> out = new ArrayList<>(lines);
    out.remove(lastCheckpoint(out));
    return out;
  }

  private static void assertFinding(Finding f, Verdict verdict, Path file, long line) {
    assertThat(f.verdict()).isEqualTo(verdict);
    assertThat(f.file()).isEqualTo(file);
    assertThat(f.line()).isEqualTo(line);
  }

  /**
   * Verifies {@code dir} twice: as verify-log does (the fast pass, going back to read every line where it meets
   * something) and reading every line from the start. Every tamper case thereby checks that the two agree, finding
   * for finding, and that each checkpoint reaches the listener once, in log order.
   */
  private LogVerifier.Result verify(Path dir, boolean withWitness) throws IOException {
    return BothPasses.verify(new LogVerifier(List.of(key(SIGNER)), withWitness ? Optional.of(tmp.resolve("witness"))
        : Optional.empty(), Optional.empty(), Instant.now()), dir);
  }

  private static PublicKeyWindow key(NoteSigner signer) {
    return new PublicKeyWindow(signer.key().publicKey(), Optional.empty(), Optional.empty());
  }

  private Path copy() throws IOException {
    Path dir = tmp.resolve("audit");
    copyDir(original, dir);
    copyDir(originalWitness, tmp.resolve("witness"));
    return dir;
  }

  private static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
    }
  }

  private static Path openSegment(Path dir) throws IOException {
    List<SegmentName> segments = Segments.list(dir);
    return dir.resolve(segments.get(segments.size() - 1).fileName());
  }

  /** An entry line whose next line is an entry too (so its hash is named by the next one), after a checkpoint. */
  private static int entryFollowedByEntry(List<String> lines) {
    for (int i = firstCheckpoint(lines) + 1; i + 1 < lines.size(); i++) {
      if (!isCheckpoint(lines.get(i)) && !isCheckpoint(lines.get(i + 1))) return i;
    }
    throw new AssertionError("no two entries in a row");
  }

  private static int firstCheckpoint(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) if (isCheckpoint(lines.get(i))) return i;
    throw new AssertionError("no checkpoint line");
  }

  private static int lastCheckpoint(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) if (isCheckpoint(lines.get(i))) return i;
    throw new AssertionError("no checkpoint line");
  }

  private static boolean isCheckpoint(String line) {
    return line.startsWith("{\"checkpoint\":");
  }

  private static String note(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return CheckpointLine.decode(b, 0, b.length).orElseThrow();
  }

  private static List<String> lines(Path file) throws IOException {
    return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  private static void write(Path file, List<String> lines) throws IOException {
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static List<String> decompress(Path file) throws IOException {
    try (InputStream in = SegmentCompression.ofFileName(file.getFileName().toString()).reader(Files.newInputStream(file))) {
      return new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
    }
  }

  private static void compress(Path file, List<String> lines) throws IOException {
    try (OutputStream out = SegmentCompression.ofFileName(file.getFileName().toString())
        .writer(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING))) {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private static byte[] filled(int value) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }
}
