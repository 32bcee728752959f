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
 */
public final class LogVerifier {
  /** How many recent entries are remembered to tell a duplicate or a reordering from an insertion. */
  private static final int RECENT = 4096;
  private static final byte[] NO_PREVIOUS = new byte[32];

  private final List<PublicKeyWindow> keys;
  private final Optional<Path> witnessDir;
  private final Optional<Duration> maxStaleness;
  private final Instant now;

  public LogVerifier(List<PublicKeyWindow> keys, Optional<Path> witnessDir, Optional<Duration> maxStaleness, Instant now) {
    this.keys = List.copyOf(keys);
    this.witnessDir = witnessDir;
    this.maxStaleness = maxStaleness;
    this.now = now;
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
    private final Hasher hasher = new Hasher();
    private final EntryScan scan = new EntryScan();
    private final TreeBuilder tree = new TreeBuilder();
    /** The last {@value #RECENT} entries accepted in order, by seq modulo the ring's size: no object per entry. */
    private final long[] recentSeq = new long[RECENT];
    private final byte[][] recentLeaf = new byte[RECENT][MerkleHashes.SIZE];
    private final boolean[] recentFilled = new boolean[RECENT];
    /** The current line's leaf hash, reused: the ring and the tree copy what they keep. */
    private final byte[] leaf = new byte[MerkleHashes.SIZE];
    private final long[] recentLine = new long[RECENT];
    private final Path[] recentFile = new Path[RECENT];
    private final Base64.Encoder base64 = Base64.getEncoder();
    /** Missing sequence ranges not yet filled by a late entry: first → (last, where the gap showed). */
    private final TreeMap<Long, Gap> gaps = new TreeMap<>();
    private long order;
    private long expected;
    private final byte[] prevBase64 = Base64.getEncoder().encode(NO_PREVIOUS);
    private Path lastEntryFile;
    private long lastEntryLine;
    private boolean skipPrevCheck;
    private long checkpoints;
    private String origin;
    private KeyRing ring;
    private Checkpoint lastCheckpoint;
    private Location lastCheckpointAt;
    private long firstUnsealed = -1;
    private Location firstUnsealedAt;
    private boolean mismatchReported;
    private long laterMismatches;
    private Location firstMismatchAt;
    private Iterator<Witnessed> witnessed;
    private Witnessed nextWitnessed;
    private ExecutorService signatures;

    Run(Path dir, CheckpointListener listener) {
      this.dir = dir;
      this.listener = listener;
    }

    Result run() throws IOException {
      List<SegmentName> segments = Segments.list(dir);
      if (segments.isEmpty() && !Files.isDirectory(dir)) throw new IOException(dir + " is not a directory");
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
      signatures = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(4096),
          new ThreadPoolExecutor.CallerRunsPolicy());
      try {
        for (SegmentName segment : segments) readSegment(segment, segment == segments.get(segments.size() - 1));
      } finally {
        signatures.shutdown();
        try {
          signatures.awaitTermination(1, TimeUnit.DAYS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      finish();
      findings.addAll(signatureFindings);
      findings.sort(Comparator.comparingLong(Finding::order));
      return new Result(dir, origin, tree.size(), checkpoints, List.copyOf(findings));
    }

    private void readSegment(SegmentName segment, boolean last) throws IOException {
      Path file = dir.resolve(segment.fileName());
      if (segment.first() > expected && gaps.isEmpty()) {
        add(Verdict.MISSING_SEGMENT, file, 0, "entries " + expected + ".." + (segment.first() - 1)
            + " are in no segment (the one before " + segment.fileName() + " is missing)");
        expected = segment.first();
        skipPrevCheck = true;
      }
      long firstSeq = -1;
      long lastSeq = -1;
      try (SegmentLines lines = SegmentLines.open(file)) {
        while (nextLine(lines, file)) {
          order++;
          long line = lines.lineNumber();
          byte[] b = lines.buffer();
          if (!lines.terminated()) {
            if (last && segment.isOpen()) {
              add(Verdict.UNSEALED, file, line, "a half-written last line (" + lines.length()
                  + " bytes): the writer stopped mid-line; a restart cuts it off");
            } else {
              add(Verdict.MALFORMED, file, line, "the last line of a sealed segment is cut off");
            }
            break;
          }
          if (CheckpointLine.looksLikeOne(b, lines.offset(), lines.length())) {
            Optional<String> note = CheckpointLine.decode(b, lines.offset(), lines.length());
            if (note.isEmpty()) add(Verdict.MALFORMED, file, line, "not a well-formed checkpoint line");
            else checkpoint(note.get(), new Location(file, line));
          } else if (scan.scan(b, lines.offset(), lines.length())) {
            hasher.leaf(b, lines.offset(), lines.length(), leaf);
            entry(scan.seq(), file, line);
            if (firstSeq < 0) firstSeq = scan.seq();
            lastSeq = scan.seq();
          } else {
            add(Verdict.MALFORMED, file, line, "neither an entry nor a checkpoint line");
          }
        }
      }
      if (!segment.isOpen() && (firstSeq != segment.first() || lastSeq != segment.last())) {
        add(Verdict.SEGMENT_NAME, file, 0, "named for entries " + segment.first() + ".." + segment.last()
            + " but holds " + (firstSeq < 0 ? "none" : firstSeq + ".." + lastSeq));
      }
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
      Optional<Checkpoint> parsed = Checkpoint.parse(KeyRing.textOf(note));
      if (parsed.isEmpty()) {
        add(Verdict.MALFORMED, at.file, at.line, "the checkpoint line holds no tlog-checkpoint");
        return;
      }
      Checkpoint checkpoint = parsed.get();
      listener.checkpoint(checkpoint, at.file, at.line);
      if (origin == null) {
        origin = checkpoint.origin();
        List<KeyRing.Trusted> trusted = new ArrayList<>();
        for (PublicKeyWindow key : keys) trusted.add(key.forOrigin(origin));
        ring = new KeyRing(trusted);
        openWitness();
      } else if (!origin.equals(checkpoint.origin())) {
        add(Verdict.ORIGIN, at.file, at.line, "origin \"" + checkpoint.origin() + "\" in a log of \"" + origin + "\"");
      }
      checkSignature(note, checkpoint, at);
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
              add(Verdict.MALFORMED, file, w.line(), "not a checkpoint line");
              continue;
            }
            Optional<Checkpoint> c = Checkpoint.parse(KeyRing.textOf(w.note()));
            if (c.isEmpty()) add(Verdict.MALFORMED, file, w.line(), "not a tlog-checkpoint");
            else all.add(new Witnessed(c.get(), w.note(), new Location(file, w.line())));
          }
        }
      } catch (IOException e) {
        add(Verdict.MALFORMED, file, 0, "the witness file cannot be read: " + e.getMessage());
      }
      // In the order the witness saw them (growing sizes), so they are met while reading the log.
      all.sort(Comparator.comparingLong(w -> w.checkpoint.size()));
      for (Witnessed w : all) checkSignature(w.note, w.checkpoint, w.at);
      witnessed = all.iterator();
      nextWitnessed = witnessed.hasNext() ? witnessed.next() : null;
    }

    /** Compares every witnessed checkpoint of the tree's current size with the tree, before it grows past it. */
    private void advanceWitness(long size) {
      while (nextWitnessed != null && nextWitnessed.checkpoint.size() <= size) {
        if (nextWitnessed.checkpoint.size() == size && !nextWitnessed.checkpoint.hasRoot(tree.root())) {
          add(Verdict.FORK, nextWitnessed.at.file, nextWitnessed.at.line, "the witness holds a checkpoint of size "
              + size + " whose root is not the log's: the log was rewritten after it was witnessed");
        }
        nextWitnessed = witnessed.hasNext() ? witnessed.next() : null;
      }
    }

    private void finish() {
      advanceWitness(tree.size());
      while (nextWitnessed != null) {
        add(Verdict.TRUNCATED, nextWitnessed.at.file, nextWitnessed.at.line, "the witness holds a checkpoint of size "
            + nextWitnessed.checkpoint.size() + "; the log has " + tree.size() + " entries (its tail was removed)");
        nextWitnessed = null; // the largest one says it; the others only repeat it
        while (witnessed.hasNext()) witnessed.next();
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
      findings.add(new Finding(verdict, file, line, detail, order));
    }
  }

  private record Location(Path file, long line) {}

  private record Gap(long last, Location at) {}

  private record Witnessed(Checkpoint checkpoint, String note, Location at) {}
}
