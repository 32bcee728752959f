package io.gatehouse.audit.verify;

import io.gatehouse.audit.log.CheckpointLine;
import io.gatehouse.audit.log.EntryScan;
import io.gatehouse.audit.log.SegmentLines;
import io.gatehouse.audit.log.SegmentName;
import io.gatehouse.audit.log.Segments;
import io.gatehouse.audit.log.Witness;
import io.gatehouse.audit.merkle.Hasher;
import io.gatehouse.audit.merkle.MerkleHashes;
import io.gatehouse.audit.merkle.TreeBuilder;
import io.gatehouse.audit.note.Checkpoint;
import io.gatehouse.audit.note.KeyRing;
import io.gatehouse.audit.verify.Finding.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Checks one replica's log directory from its files alone (docs/audit-log.md): every entry follows the one before
 * it (sequence number and {@code prev} hash), every checkpoint is the signed root of exactly the entries before it,
 * checkpoints never shrink or fork, and, with a witness, the log still holds everything the witness saw. One pass,
 * O(log n) memory; signatures are checked on the other cores, since one costs as much as hashing a thousand entries.
 *
 * <p>A finding names the file and line where the evidence is. After an edit every later checkpoint mismatches too;
 * only the first mismatch after a good checkpoint is reported, with a count of the rest, so one edit reads as one
 * finding.
 *
 * <p>Two modes, one result. The pass starts fast: an entry line is only hashed into the tree, not read, because a
 * checkpoint whose signed root matches the tree proves every byte before it is what the writer wrote, sequence
 * numbers and {@code prev} hashes included. Reading each entry's fields costs about as much as hashing it, so the
 * fast pass is what makes a year's log quick to check. The moment anything would be a finding (a checkpoint that
 * does not match, a segment out of place, a line that is not an object) or the log ends in entries no checkpoint
 * covers, the pass goes back to a checkpoint that matched, at least {@value #RECENT} entries earlier so that
 * duplicates can still be told apart, and reads every line from there, exactly as if it had from the start. A root
 * is only proof with its signature, which is checked on other cores meanwhile: when one fails, the whole log is
 * read again line by line.
 */
public final class LogVerifier {
  /** How many recent entries are remembered to tell a duplicate or a reordering from an insertion. */
  private static final int RECENT = 4096;
  private static final byte[] NO_PREVIOUS = new byte[32];

  private final List<PublicKeyWindow> keys;
  private final Optional<Path> witnessDir;
  private final Optional<Duration> maxStaleness;
  private final Instant now;
  private final boolean everyLine;

  public LogVerifier(List<PublicKeyWindow> keys, Optional<Path> witnessDir, Optional<Duration> maxStaleness, Instant now) {
    this(keys, witnessDir, maxStaleness, now, false);
  }

  private LogVerifier(List<PublicKeyWindow> keys, Optional<Path> witnessDir, Optional<Duration> maxStaleness,
      Instant now, boolean everyLine) {
    this.keys = List.copyOf(keys);
    this.witnessDir = witnessDir;
    this.maxStaleness = maxStaleness;
    this.now = now;
    this.everyLine = everyLine;
  }

  /** This verifier without the fast pass: every line read from the start (the tests compare the two). */
  LogVerifier readingEveryLine() {
    return new LogVerifier(keys, witnessDir, maxStaleness, now, true);
  }

  /** What one directory's check found. */
  public record Result(Path dir, String origin, long entries, long checkpoints, List<Finding> findings) {
    public boolean intact() {
      return findings.stream().noneMatch(f -> f.verdict().fails());
    }
  }

  public Result verify(Path dir) throws IOException {
    return verify(dir, CheckpointListener.NONE);
  }

  /** As {@link #verify(Path)}, telling {@code listener} of every well-formed checkpoint in log order. */
  public Result verify(Path dir, CheckpointListener listener) throws IOException {
    return new Run(dir, listener).run();
  }

  /**
   * Hears of each checkpoint as the pass meets it, so a report can name the checkpoints that cover a period without
   * a second pass over the log. Called on the verifying thread, before the signature is checked.
   */
  @FunctionalInterface
  public interface CheckpointListener {
    CheckpointListener NONE = (checkpoint, file, line) -> { };

    void checkpoint(Checkpoint checkpoint, Path file, long line);
  }

  /** The state of one pass over one directory. */
  private final class Run {
    private final Path dir;
    private final CheckpointListener listener;
    private final List<Finding> findings = new ArrayList<>();
    private final ConcurrentLinkedQueue<Finding> signatureFindings = new ConcurrentLinkedQueue<>();
    /** What the witness file itself holds that is wrong: read once, kept whatever the pass does after. */
    private final List<Finding> witnessFindings = new ArrayList<>();
    private final Hasher hasher = new Hasher();
    private final EntryScan scan = new EntryScan();
    private TreeBuilder tree = new TreeBuilder();
    /** The last {@value #RECENT} entries accepted in order, by seq modulo the ring's size: no object per entry. */
    private final long[] recentSeq = new long[RECENT];
    private final byte[][] recentLeaf = new byte[RECENT][MerkleHashes.SIZE];
    private final boolean[] recentFilled = new boolean[RECENT];
    private final long[] recentLine = new long[RECENT];
    private final Path[] recentFile = new Path[RECENT];
    /** The last entry line's leaf hash, reused: the ring and the tree copy what they keep. */
    private final byte[] leaf = new byte[MerkleHashes.SIZE];
    private final Base64.Encoder base64 = Base64.getEncoder();
    /** Missing sequence ranges not yet filled by a late entry: first → (last, where the gap showed). */
    private final TreeMap<Long, Gap> gaps = new TreeMap<>();
    /** Matched checkpoints of the fast pass to go back to: the oldest is at least {@value #RECENT} entries back. */
    private final ArrayDeque<Snapshot> snapshots = new ArrayDeque<>();
    private boolean fast;
    /** Set in the fast pass where the full read would find something: the pass goes back and reads every line. */
    private boolean anomaly;
    private long order;
    private long expected;
    private final byte[] prevBase64 = Base64.getEncoder().encode(NO_PREVIOUS);
    private Path lastEntryFile;
    private long lastEntryLine;
    private boolean skipPrevCheck;
    private long segmentFirstSeq = -1;
    private long segmentLastSeq = -1;
    private long checkpoints;
    /** Checkpoints already told to the listener and sent for their signature check: a second read tells none twice. */
    private long announced;
    private String origin;
    private KeyRing ring;
    private Checkpoint lastCheckpoint;
    private Location lastCheckpointAt;
    private long firstUnsealed = -1;
    private Location firstUnsealedAt;
    private boolean mismatchReported;
    private long laterMismatches;
    private Location firstMismatchAt;
    private List<Witnessed> witnessed = List.of();
    private int witnessIndex;
    private ExecutorService signatures;

    Run(Path dir, CheckpointListener listener) {
      this.dir = dir;
      this.listener = listener;
      this.fast = !everyLine;
    }

    Result run() throws IOException {
      List<SegmentName> segments = Segments.list(dir);
      if (segments.isEmpty() && !Files.isDirectory(dir)) throw new IOException(dir + " is not a directory");
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
      signatures = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(4096),
          new ThreadPoolExecutor.CallerRunsPolicy());
      Snapshot start = snapshot(0, 0);
      boolean everyLineFromStart = !fast;
      try {
        snapshots.add(start);
        int fromSegment = 0;
        long fromLine = 0;
        while (true) {
          boolean read = readSegments(segments, fromSegment, fromLine);
          // Entries after the last checkpoint are signed by nothing: only reading them says what they are.
          if (read && !(fast && firstUnsealed >= 0)) break;
          Snapshot back = snapshots.getFirst();
          restore(back);
          fast = false;
          everyLineFromStart = back.size == 0;
          fromSegment = back.segment;
          fromLine = back.line;
        }
      } finally {
        awaitSignatures();
      }
      // A matching root proves the lines only once its signature does: someone who rewrote entries can recompute
      // roots but not sign them. Where a signature failed, every line is read, from the start (a forged log is rare).
      if (!everyLineFromStart && signatureFindings.stream().anyMatch(f -> f.verdict().fails())) {
        restore(start);
        fast = false;
        readSegments(segments, 0, 0);
      }
      fast = false;
      finish();
      findings.addAll(witnessFindings);
      findings.addAll(signatureFindings);
      findings.sort(Comparator.comparingLong(Finding::order));
      return new Result(dir, origin, tree.size(), checkpoints, List.copyOf(findings));
    }

    private void awaitSignatures() {
      signatures.shutdown();
      try {
        signatures.awaitTermination(1, TimeUnit.DAYS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Reads segments from line {@code fromLine + 1} of segment {@code from} on; false where the fast pass stops. */
    private boolean readSegments(List<SegmentName> segments, int from, long fromLine) throws IOException {
      for (int i = from; i < segments.size(); i++) {
        if (!readSegment(segments.get(i), i, i == segments.size() - 1, i == from ? fromLine : 0)) return false;
      }
      return true;
    }

    private boolean readSegment(SegmentName segment, int index, boolean last, long skip) throws IOException {
      Path file = dir.resolve(segment.fileName());
      if (skip == 0) {
        if (fast && segment.first() != tree.size()) return false;
        if (segment.first() > expected && gaps.isEmpty()) {
          add(Verdict.MISSING_SEGMENT, file, 0, "entries " + expected + ".." + (segment.first() - 1)
              + " are in no segment (the one before " + segment.fileName() + " is missing)");
          expected = segment.first();
          skipPrevCheck = true;
        }
        segmentFirstSeq = -1;
        segmentLastSeq = -1;
      }
      try (SegmentLines lines = SegmentLines.open(file)) {
        while (lines.lineNumber() < skip && nextLine(lines, file)) {
          // read again up to where the pass went back to
        }
        while (nextLine(lines, file)) {
          order++;
          long line = lines.lineNumber();
          byte[] b = lines.buffer();
          int offset = lines.offset();
          int length = lines.length();
          if (!lines.terminated()) {
            if (last && segment.isOpen()) {
              add(Verdict.UNSEALED, file, line, "a half-written last line (" + length
                  + " bytes): the writer stopped mid-line; a restart cuts it off");
            } else {
              add(Verdict.MALFORMED, file, line, "the last line of a sealed segment is cut off");
            }
            break;
          }
          if (CheckpointLine.looksLikeOne(b, offset, length)) {
            Optional<String> note = CheckpointLine.decode(b, offset, length);
            if (note.isEmpty()) add(Verdict.MALFORMED, file, line, "not a well-formed checkpoint line");
            else checkpoint(note.get(), new Location(file, line));
            if (fast && !anomaly) takeSnapshot(index, line);
          } else if (fast) {
            if (length < 2 || b[offset] != '{' || b[offset + length - 1] != '}') return false;
            hasher.leaf(b, offset, length, leaf);
            entryUnread(file, line);
          } else if (scan.scan(b, offset, length)) {
            hasher.leaf(b, offset, length, leaf);
            entry(scan.seq(), file, line);
            if (segmentFirstSeq < 0) segmentFirstSeq = scan.seq();
            segmentLastSeq = scan.seq();
          } else {
            add(Verdict.MALFORMED, file, line, "neither an entry nor a checkpoint line");
          }
          if (anomaly) return false;
        }
      }
      if (anomaly) return false;
      if (!segment.isOpen() && (segmentFirstSeq != segment.first() || segmentLastSeq != segment.last())) {
        add(Verdict.SEGMENT_NAME, file, 0, "named for entries " + segment.first() + ".." + segment.last()
            + " but holds " + (segmentFirstSeq < 0 ? "none" : segmentFirstSeq + ".." + segmentLastSeq));
      }
      return !anomaly;
    }

    /**
     * Moves to the next line; a segment that cannot be read on (a damaged compressed file, an overlong line) is a
     * finding at the line it stops at, and the pass goes on with the next segment, so one bad file hides nothing
     * else.
     */
    private boolean nextLine(SegmentLines lines, Path file) {
      try {
        return lines.next();
      } catch (IOException e) {
        add(Verdict.MALFORMED, file, lines.lineNumber() + 1, "the segment cannot be read past line "
            + lines.lineNumber() + ": " + e.getMessage());
        return false;
      }
    }

    /**
     * An entry of the fast pass: its seq is its place in the tree, which the next checkpoint proves, or the pass
     * goes back and reads it.
     */
    private void entryUnread(Path file, long line) {
      long seq = tree.size();
      advanceWitness(seq);
      expected = seq + 1;
      lastEntryFile = file;
      lastEntryLine = line;
      if (segmentFirstSeq < 0) segmentFirstSeq = seq;
      segmentLastSeq = seq;
      tree.append(leaf);
      if (firstUnsealed < 0) {
        firstUnsealed = seq;
        firstUnsealedAt = new Location(file, line);
      }
    }

    private void entry(long seq, Path file, long line) {
      advanceWitness(tree.size());
      if (seq == expected) {
        if (!skipPrevCheck && !scan.prevEquals(prevBase64) && lastEntryFile != null) {
          add(Verdict.MODIFIED, lastEntryFile, lastEntryLine, "entry " + (seq - 1) + " is not the entry that entry "
              + seq + " (line " + line + ") follows: its bytes were changed");
        }
        accept(seq, file, line);
      } else if (seq > expected) {
        // Its own prev names a missing entry, so it is not checked; the next entry's is, against this one.
        gaps.put(expected, new Gap(seq - 1, new Location(file, line)));
        accept(seq, file, line);
      } else {
        int slot = (int) (seq % RECENT);
        boolean seen = recentFilled[slot] && recentSeq[slot] == seq;
        Map.Entry<Long, Gap> gap = gaps.floorEntry(seq);
        if (seen && java.util.Arrays.equals(recentLeaf[slot], leaf)) {
          add(Verdict.DUPLICATED, file, line, "entry " + seq + " again (first at line " + recentLine[slot] + ")");
        } else if (gap != null && seq <= gap.getValue().last) {
          fillGap(gap, seq);
          add(Verdict.REORDERED, file, line, "entry " + seq + " comes after entry " + (expected - 1));
        } else {
          add(Verdict.INSERTED, file, line, "a second entry " + seq + (!seen ? "" : " (the other is at "
              + recentFile[slot].getFileName() + ":" + recentLine[slot] + ")"));
        }
        skipPrevCheck = true;
      }
      tree.append(leaf);
      if (firstUnsealed < 0) {
        firstUnsealed = tree.size() - 1;
        firstUnsealedAt = new Location(file, line);
      }
    }

    private void accept(long seq, Path file, long line) {
      base64.encode(leaf, prevBase64);
      lastEntryFile = file;
      lastEntryLine = line;
      expected = seq + 1;
      skipPrevCheck = false;
      int slot = (int) (seq % RECENT);
      recentSeq[slot] = seq;
      System.arraycopy(leaf, 0, recentLeaf[slot], 0, MerkleHashes.SIZE);
      recentFilled[slot] = true;
      recentLine[slot] = line;
      recentFile[slot] = file;
    }

    private void fillGap(Map.Entry<Long, Gap> gap, long seq) {
      gaps.remove(gap.getKey());
      if (gap.getKey() < seq) gaps.put(gap.getKey(), new Gap(seq - 1, gap.getValue().at));
      if (seq < gap.getValue().last) gaps.put(seq + 1, gap.getValue());
    }

    private void checkpoint(String note, Location at) {
      checkpoints++;
      boolean fresh = checkpoints > announced;
      if (fresh) announced = checkpoints;
      Optional<Checkpoint> parsed = Checkpoint.parse(KeyRing.textOf(note));
      if (parsed.isEmpty()) {
        add(Verdict.MALFORMED, at.file, at.line, "the checkpoint line holds no tlog-checkpoint");
        return;
      }
      Checkpoint checkpoint = parsed.get();
      if (fresh) listener.checkpoint(checkpoint, at.file, at.line);
      if (origin == null) {
        origin = checkpoint.origin();
        List<KeyRing.Trusted> trusted = new ArrayList<>();
        for (PublicKeyWindow key : keys) trusted.add(key.forOrigin(origin));
        ring = new KeyRing(trusted);
        openWitness();
      } else if (!origin.equals(checkpoint.origin())) {
        add(Verdict.ORIGIN, at.file, at.line, "origin \"" + checkpoint.origin() + "\" in a log of \"" + origin + "\"");
      }
      if (fresh) checkSignature(note, checkpoint, at);
      if (lastCheckpoint != null) {
        if (checkpoint.size() < lastCheckpoint.size()) {
          add(Verdict.ROLLBACK, at.file, at.line, "size " + checkpoint.size() + " after a checkpoint of size "
              + lastCheckpoint.size() + " (line " + lastCheckpointAt.line + ")");
        } else if (checkpoint.size() == lastCheckpoint.size() && !checkpoint.hasRoot(lastCheckpoint.root())) {
          add(Verdict.FORK, at.file, at.line, "size " + checkpoint.size() + " with another root than the checkpoint at "
              + lastCheckpointAt.file.getFileName() + ":" + lastCheckpointAt.line);
        }
      }
      boolean matches = checkpoint.size() == tree.size() && checkpoint.hasRoot(tree.root());
      if (!matches) {
        if (!mismatchReported) {
          String why = checkpoint.size() != tree.size()
              ? "signs " + checkpoint.size() + " entries, " + tree.size() + " precede it"
              : "its root is not that of the " + tree.size() + " entries before it (an entry since line "
                  + (lastCheckpointAt == null ? 1 : lastCheckpointAt.line) + " was changed)";
          add(Verdict.MISMATCH, at.file, at.line, why);
          mismatchReported = true;
          firstMismatchAt = at;
        } else {
          laterMismatches++;
        }
      } else {
        mismatchReported = false;
      }
      lastCheckpoint = checkpoint;
      lastCheckpointAt = at;
      firstUnsealed = -1;
      firstUnsealedAt = null;
    }

    private void checkSignature(String note, Checkpoint checkpoint, Location at) {
      long where = order;
      KeyRing ringNow = ring;
      signatures.execute(() -> {
        KeyRing.Verdict verdict = ringNow.judge(note, checkpoint.time());
        switch (verdict) {
          case VALID -> { }
          case UNSIGNED -> signatureFindings.add(new Finding(Verdict.UNSIGNED, at.file, at.line,
              "checkpoint of size " + checkpoint.size() + " has no signature", where));
          case OUTSIDE_WINDOW -> signatureFindings.add(new Finding(Verdict.KEY_WINDOW, at.file, at.line,
              "signed at " + checkpoint.time().map(Instant::toString).orElse("(no time)")
                  + ", outside the validity window of the key that signed it", where));
          case BAD_SIGNATURE -> signatureFindings.add(new Finding(Verdict.BAD_SIGNATURE, at.file, at.line,
              "no trusted key's signature verifies for the checkpoint of size " + checkpoint.size(), where));
        }
      });
    }

    private void openWitness() {
      if (witnessDir.isEmpty()) return;
      Path file = witnessDir.get().resolve(Witness.fileName(origin));
      List<Witnessed> all = new ArrayList<>();
      try {
        if (Files.isRegularFile(file)) {
          for (Witness.Witnessed w : Witness.read(file)) {
            if (w.note() == null) {
              witnessFinding(file, w.line(), "not a checkpoint line");
              continue;
            }
            Optional<Checkpoint> c = Checkpoint.parse(KeyRing.textOf(w.note()));
            if (c.isEmpty()) witnessFinding(file, w.line(), "not a tlog-checkpoint");
            else all.add(new Witnessed(c.get(), w.note(), new Location(file, w.line())));
          }
        }
      } catch (IOException e) {
        witnessFinding(file, 0, "the witness file cannot be read: " + e.getMessage());
      }
      // In the order the witness saw them (growing sizes), so they are met while reading the log.
      all.sort(Comparator.comparingLong(w -> w.checkpoint.size()));
      for (Witnessed w : all) checkSignature(w.note, w.checkpoint, w.at);
      witnessed = List.copyOf(all);
      witnessIndex = 0;
    }

    private void witnessFinding(Path file, long line, String detail) {
      witnessFindings.add(new Finding(Verdict.MALFORMED, file, line, detail, order));
    }

    /** Compares every witnessed checkpoint of the tree's current size with the tree, before it grows past it. */
    private void advanceWitness(long size) {
      while (witnessIndex < witnessed.size() && witnessed.get(witnessIndex).checkpoint.size() <= size) {
        Witnessed next = witnessed.get(witnessIndex++);
        if (next.checkpoint.size() == size && !next.checkpoint.hasRoot(tree.root())) {
          add(Verdict.FORK, next.at.file, next.at.line, "the witness holds a checkpoint of size "
              + size + " whose root is not the log's: the log was rewritten after it was witnessed");
        }
      }
    }

    private void finish() {
      advanceWitness(tree.size());
      if (witnessIndex < witnessed.size()) {
        // The first one past the log's end says it; the larger ones only repeat it.
        Witnessed next = witnessed.get(witnessIndex);
        add(Verdict.TRUNCATED, next.at.file, next.at.line, "the witness holds a checkpoint of size "
            + next.checkpoint.size() + "; the log has " + tree.size() + " entries (its tail was removed)");
        witnessIndex = witnessed.size();
      }
      for (Map.Entry<Long, Gap> gap : gaps.entrySet()) {
        Gap g = gap.getValue();
        add(Verdict.DELETED, g.at.file, g.at.line, "entries " + gap.getKey() + ".." + g.last + " are missing before"
            + " this line");
      }
      if (laterMismatches > 0) {
        add(Verdict.MISMATCH, firstMismatchAt.file, firstMismatchAt.line, laterMismatches
            + " later checkpoint(s) do not match either: they rest on the same change");
      }
      if (lastCheckpoint == null) {
        add(Verdict.NO_CHECKPOINT, dir, 0, tree.size() + " entries and no checkpoint: nothing is signed");
      } else if (maxStaleness.isPresent()) {
        Optional<Instant> time = lastCheckpoint.time();
        if (time.isEmpty() || time.get().plus(maxStaleness.get()).isBefore(now)) {
          add(Verdict.STALE, lastCheckpointAt.file, lastCheckpointAt.line, "the latest checkpoint is from "
              + time.map(Instant::toString).orElse("(no time)") + ", older than " + maxStaleness.get());
        }
      }
      if (firstUnsealed >= 0) {
        add(Verdict.UNSEALED, firstUnsealedAt.file, firstUnsealedAt.line, "entries " + firstUnsealed + ".."
            + (tree.size() - 1) + " come after the last checkpoint (not signed yet)");
      }
    }

    private void add(Verdict verdict, Path file, long line, String detail) {
      if (fast) anomaly = true; // read again from a matched checkpoint, where this finding is made
      else findings.add(new Finding(verdict, file, line, detail, order));
    }

    /** After the checkpoint at {@code line} of segment {@code segment} matched the tree. */
    private void takeSnapshot(int segment, long line) {
      Snapshot now = snapshot(segment, line);
      snapshots.addLast(now);
      while (snapshots.size() > 1 && nth(snapshots, 1).size <= now.size - RECENT) snapshots.removeFirst();
    }

    private Snapshot snapshot(int segment, long line) {
      return new Snapshot(segment, line, tree.size(), tree.frontier(), leaf.clone(), order, findings.size(),
          checkpoints, lastCheckpoint, lastCheckpointAt, lastEntryFile, lastEntryLine, segmentFirstSeq,
          segmentLastSeq, witnessIndex);
    }

    private void restore(Snapshot s) {
      tree = TreeBuilder.restore(s.size, s.frontier);
      System.arraycopy(s.leaf, 0, leaf, 0, MerkleHashes.SIZE);
      base64.encode(s.size == 0 ? NO_PREVIOUS : s.leaf, prevBase64);
      expected = s.size;
      skipPrevCheck = false;
      order = s.order;
      findings.subList(s.findings, findings.size()).clear();
      checkpoints = s.checkpoints;
      lastCheckpoint = s.lastCheckpoint;
      lastCheckpointAt = s.lastCheckpointAt;
      lastEntryFile = s.lastEntryFile;
      lastEntryLine = s.lastEntryLine;
      segmentFirstSeq = s.segmentFirstSeq;
      segmentLastSeq = s.segmentLastSeq;
      witnessIndex = s.witnessIndex;
      firstUnsealed = -1;
      firstUnsealedAt = null;
      mismatchReported = false;
      laterMismatches = 0;
      firstMismatchAt = null;
      anomaly = false;
    }
  }

  private static <T> T nth(ArrayDeque<T> deque, int n) {
    Iterator<T> it = deque.iterator();
    for (int i = 0; i < n; i++) it.next();
    return it.next();
  }

  /** Where a matched checkpoint left the pass: all a full read from the line after it needs. */
  private record Snapshot(int segment, long line, long size, List<byte[]> frontier, byte[] leaf, long order,
      int findings, long checkpoints, Checkpoint lastCheckpoint, Location lastCheckpointAt, Path lastEntryFile,
      long lastEntryLine, long segmentFirstSeq, long segmentLastSeq, int witnessIndex) {}

  private record Location(Path file, long line) {}

  private record Gap(long last, Location at) {}

  private record Witnessed(Checkpoint checkpoint, String note, Location at) {}
}
