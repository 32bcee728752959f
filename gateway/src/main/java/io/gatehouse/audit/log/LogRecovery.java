package io.gatehouse.audit.log;

import io.gatehouse.audit.merkle.Hasher;
import io.gatehouse.audit.merkle.TreeBuilder;
import io.gatehouse.audit.note.Checkpoint;
import io.gatehouse.audit.note.KeyRing;
import io.gatehouse.audit.note.SignedNote;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Opens a replica's log directory for writing, continuing the tree that is there (docs/audit-log.md, "Trust"). It
 * takes the directory's lock, finishes an interrupted compression, checks that the segments follow one another,
 * restores the tree from {@code state.json} when that agrees with the signed checkpoint it names (else rereads every
 * segment), then reads the entries written after the last checkpoint, the unsealed tail, and cuts off a half-written
 * last line. It refuses, with a message that says what it found, whenever continuing would make the gateway sign a
 * checkpoint inconsistent with one it signed before: entries that do not follow, a checkpoint that does not match
 * its entries or is not signed by a trusted key, a witness that has seen more than the directory holds.
 */
final class LogRecovery {
  private static final System.Logger LOG = System.getLogger(LogRecovery.class.getName());
  static final byte[] NO_PREVIOUS = new byte[32];

  private final AuditLogSettings settings;
  private final Hasher hasher = new Hasher();
  private final EntryScan scan = new EntryScan();

  // The state being rebuilt.
  private TreeBuilder tree = new TreeBuilder();
  private byte[] prevLeaf = NO_PREVIOUS;
  private byte[] prevBase64 = base64(NO_PREVIOUS);
  private String lastNote;
  private long lastCheckpointSize = -1;
  private long tailFirst = -1;
  private Instant from;
  private Instant to;
  private long lines;

  private LogRecovery(AuditLogSettings settings) {
    this.settings = settings;
  }

  /** What the writer continues from. {@code lock} must stay open while it writes. */
  record Recovered(
      TreeBuilder tree,
      byte[] prevLeaf,
      SegmentName openSegment,
      long segmentLines,
      Instant from,
      Instant to,
      String lastCheckpoint,
      long lastCheckpointSize,
      long unsealedFirst,
      long tornBytes,
      OptionalInt lastKeyId,
      List<Path> toCompress,
      FileChannel lock) {}

  static Recovered open(AuditLogSettings settings) throws AuditLogException {
    FileChannel lock = lock(settings.dir());
    try {
      return new LogRecovery(settings).recover(lock);
    } catch (AuditLogException | RuntimeException e) {
      closeQuietly(lock);
      throw e;
    } catch (IOException e) {
      closeQuietly(lock);
      throw new AuditLogException("audit log in " + settings.dir() + " cannot be read: " + e, e);
    }
  }

  private static FileChannel lock(Path dir) throws AuditLogException {
    try {
      Files.createDirectories(dir);
      FileChannel channel = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock held;
      try {
        held = channel.tryLock();
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      if (held == null) {
        channel.close();
        throw new AuditLogException("another process writes the audit log in " + dir
            + " (it holds " + dir.resolve("LOCK") + "); each replica needs its own audit.dir");
      }
      return channel;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      throw new AuditLogException("this process already writes the audit log in " + dir);
    } catch (IOException e) {
      throw new AuditLogException("cannot open the audit directory " + dir + ": " + e, e);
    }
  }

  private Recovered recover(FileChannel lock) throws IOException, AuditLogException {
    Path dir = settings.dir();
    List<Path> toCompress = tidy(dir);
    List<SegmentName> segments = Segments.list(dir);
    checkSequence(segments);
    if (segments.isEmpty()) {
      refuseIfWitnessed(-1);
      return new Recovered(tree, prevLeaf, SegmentName.open(0), 0, null, null, null, -1, -1, 0, OptionalInt.empty(),
          toCompress, lock);
    }
    SegmentName last = segments.get(segments.size() - 1);
    Optional<LogState> state = last.isOpen() ? LogState.load(dir).filter(s -> usable(s, last)) : Optional.empty();
    long torn = 0;
    if (state.isPresent()) {
      LogState s = state.get();
      tree = TreeBuilder.restore(s.size(), s.frontier());
      prevLeaf = s.prevLeaf();
      prevBase64 = base64(prevLeaf);
      lastNote = s.checkpoint();
      lastCheckpointSize = s.size();
      from = s.from();
      to = s.to();
      lines = s.lines();
      torn = readSegment(dir.resolve(last.fileName()), s.offset(), s.lines() + 1, true);
    } else {
      if (last.isOpen() && Files.exists(dir.resolve(LogState.FILE_NAME))) {
        LOG.log(Level.WARNING, "audit: state.json does not match the log; rereading every segment of " + dir);
      }
      for (SegmentName segment : segments) {
        if (segment == last && segment.isOpen()) {
          from = null;
          to = null;
          lines = 0;
          torn = readSegment(dir.resolve(segment.fileName()), 0, 1, true);
        } else {
          readSegment(dir.resolve(segment.fileName()), 0, 1, false);
          if (tree.size() != segment.last() + 1) {
            throw new AuditLogException(segment + " holds entries up to " + (tree.size() - 1) + ", not up to "
                + segment.last() + " as its name says; run gatehouse verify-log");
          }
        }
      }
    }
    if (lastNote != null) checkSignature(lastNote);
    refuseIfWitnessed(lastCheckpointSize);
    SegmentName open = last.isOpen() ? last : SegmentName.open(tree.size());
    if (!last.isOpen()) {
      from = null;
      to = null;
      lines = 0;
    }
    return new Recovered(tree, prevLeaf, open, lines, from, to, lastNote, lastCheckpointSize, tailFirst, torn,
        keyIdOf(lastNote), toCompress, lock);
  }

  /** Removes temporary files; a sealed plain segment whose compressed copy was completed goes, others are recompressed. */
  private static List<Path> tidy(Path dir) throws IOException {
    List<Path> toCompress = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (isUnfinishedCopy(name) || name.equals(LogState.FILE_NAME + ".tmp")) {
          Files.delete(file);
          continue;
        }
        Optional<SegmentName> segment = SegmentName.parse(name);
        if (segment.isEmpty() || segment.get().isOpen() || segment.get().compressed()) continue;
        if (hasCompressedCopy(file)) Files.delete(file);
        else toCompress.add(file);
      }
    }
    return toCompress;
  }

  private static boolean isUnfinishedCopy(String name) {
    return name.endsWith(Sealer.TEMPORARY)
        && SegmentCompression.ofFileName(name.substring(0, name.length() - Sealer.TEMPORARY.length()))
            != SegmentCompression.NONE;
  }

  private static boolean hasCompressedCopy(Path plain) {
    for (SegmentCompression c : SegmentCompression.values()) {
      if (c != SegmentCompression.NONE && Files.exists(plain.resolveSibling(plain.getFileName() + c.suffix()))) {
        return true;
      }
    }
    return false;
  }

  private static void checkSequence(List<SegmentName> segments) throws AuditLogException {
    long expected = 0;
    for (int i = 0; i < segments.size(); i++) {
      SegmentName s = segments.get(i);
      if (s.first() != expected) {
        throw new AuditLogException("audit segments do not follow one another: " + s + " starts at " + s.first()
            + ", expected " + expected + " (a segment is missing or extra); run gatehouse verify-log");
      }
      if (s.isOpen() && i != segments.size() - 1) {
        throw new AuditLogException("more than one open audit segment (" + s + " and later ones); run gatehouse verify-log");
      }
      expected = s.last() + 1;
    }
  }

  /** Whether the saved state names the open segment and its checkpoint line is really where the state says. */
  private boolean usable(LogState s, SegmentName open) {
    if (!s.segment().equals(open.fileName()) || s.prevLeaf().length != 32) return false;
    try {
      TreeBuilder restored = TreeBuilder.restore(s.size(), s.frontier());
      Optional<Checkpoint> checkpoint = Checkpoint.parse(KeyRing.textOf(s.checkpoint()));
      if (checkpoint.isEmpty() || checkpoint.get().size() != s.size() || !checkpoint.get().hasRoot(restored.root())
          || !checkpoint.get().origin().equals(settings.origin())) {
        return false;
      }
      byte[] expected = CheckpointLine.encode(s.checkpoint());
      long start = s.offset() - expected.length - 1;
      if (start < 0) return false;
      try (FileChannel channel = FileChannel.open(settings.dir().resolve(open.fileName()), StandardOpenOption.READ)) {
        if (channel.size() < s.offset()) return false;
        ByteBuffer found = ByteBuffer.allocate(expected.length + 1);
        while (found.hasRemaining() && channel.read(found, start + found.position()) > 0) {
          // reads until the buffer is full
        }
        byte[] bytes = found.array();
        return bytes[expected.length] == '\n' && Arrays.equals(Arrays.copyOf(bytes, expected.length), expected);
      }
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Reads a segment's lines from {@code offset}, adding its entries to the tree and checking its checkpoints.
   *
   * @param open whether it is the open segment: a half-written last line is then cut off (and its length returned)
   */
  private long readSegment(Path file, long offset, long firstLine, boolean open) throws IOException, AuditLogException {
    long torn = 0;
    try (SegmentLines in = offset == 0 ? SegmentLines.open(file) : SegmentLines.openAt(file, offset, firstLine)) {
      while (in.next()) {
        if (!in.terminated()) {
          if (!open) throw new AuditLogException(at(file, in) + ": the last line of a sealed segment is cut off");
          torn = in.length();
          try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(in.lineByteOffset());
            channel.force(true);
          }
          LOG.log(Level.WARNING, "audit: cut off a half-written last line (" + torn + " bytes) at " + at(file, in));
          break;
        }
        lines++;
        byte[] b = in.buffer();
        if (CheckpointLine.looksLikeOne(b, in.offset(), in.length())) {
          checkpoint(file, in);
        } else if (scan.scan(b, in.offset(), in.length())) {
          entry(file, in);
        } else {
          throw new AuditLogException(at(file, in) + " is neither an entry nor a checkpoint; run gatehouse verify-log");
        }
      }
    }
    return torn;
  }

  private void entry(Path file, SegmentLines in) throws AuditLogException {
    if (scan.seq() != tree.size() || !scan.prevEquals(prevBase64)) {
      throw new AuditLogException(at(file, in) + ": entry " + scan.seq() + " does not follow entry " + (tree.size() - 1)
          + " (edited, inserted or removed while the gateway was stopped?); run gatehouse verify-log");
    }
    prevLeaf = hasher.leaf(in.buffer(), in.offset(), in.length());
    prevBase64 = base64(prevLeaf);
    tree.append(prevLeaf);
    if (tailFirst < 0) tailFirst = scan.seq();
    String time = scan.time();
    if (time != null) {
      try {
        Instant t = Instant.parse(time);
        if (from == null || t.isBefore(from)) from = t;
        if (to == null || t.isAfter(to)) to = t;
      } catch (RuntimeException e) {
        throw new AuditLogException(at(file, in) + ": entry " + scan.seq() + " has no valid time");
      }
    }
  }

  private void checkpoint(Path file, SegmentLines in) throws AuditLogException {
    String note = CheckpointLine.decode(in.buffer(), in.offset(), in.length())
        .orElseThrow(() -> new AuditLogException(at(file, in) + " is a malformed checkpoint line"));
    Checkpoint checkpoint = Checkpoint.parse(KeyRing.textOf(note))
        .orElseThrow(() -> new AuditLogException(at(file, in) + " holds a note that is not a checkpoint"));
    if (!checkpoint.origin().equals(settings.origin())) {
      throw new AuditLogException(at(file, in) + ": this log's origin is \"" + checkpoint.origin()
          + "\", the config's is \"" + settings.origin() + "\"; set audit.origin/audit.replica back, or give the new"
          + " origin a new audit.dir");
    }
    if (checkpoint.size() != tree.size() || !checkpoint.hasRoot(tree.root())) {
      throw new AuditLogException(at(file, in) + ": checkpoint of size " + checkpoint.size()
          + " does not match the entries before it; run gatehouse verify-log");
    }
    lastNote = note;
    lastCheckpointSize = checkpoint.size();
    tailFirst = -1;
  }

  private void checkSignature(String note) throws AuditLogException {
    Optional<Instant> time = Checkpoint.parse(KeyRing.textOf(note)).flatMap(Checkpoint::time);
    KeyRing.Verdict verdict = settings.trusted().judge(note, time);
    if (verdict == KeyRing.Verdict.VALID) return;
    if (verdict == KeyRing.Verdict.UNSIGNED && settings.signer().isEmpty()) return;
    if (verdict == KeyRing.Verdict.UNSIGNED) {
      // Signing over an unsigned tail would vouch for whatever anyone wrote into it: a signed log starts afresh.
      throw new AuditLogException("the audit log in " + settings.dir() + " was written without a signing key;"
          + " a signed log starts in a new audit.dir (keep the old one as it is)");
    }
    throw new AuditLogException("the last checkpoint in " + settings.dir() + " is not signed by audit.signing_key"
        + " or a key of audit.public_keys (" + verdict + "); if the key was rotated, list the old public key"
        + " under audit.public_keys");
  }

  /** Refuses to continue a log the witness has seen grow further, or fork, than what the directory holds. */
  private void refuseIfWitnessed(long size) throws IOException, AuditLogException {
    if (settings.witnessDir().isEmpty()) return;
    Optional<Witness.Witnessed> latest = Witness.latest(settings.witnessDir().get(), settings.origin());
    if (latest.isEmpty()) return;
    Optional<Checkpoint> witnessed = Checkpoint.parse(KeyRing.textOf(latest.get().note()));
    if (witnessed.isEmpty()) return;
    long seen = witnessed.get().size();
    boolean fork = seen == size && lastNote != null
        && !Checkpoint.parse(KeyRing.textOf(lastNote)).map(c -> c.hasRoot(witnessed.get().root())).orElse(false);
    if (seen > size || fork) {
      throw new AuditLogException("the witness " + latest.get().file() + " holds a checkpoint of size " + seen
          + " that this directory's log (" + tree.size() + " entries) does not match: the log was truncated, rolled"
          + " back or replaced; restore it, or start a new log with a new audit.dir and audit.origin");
    }
  }

  private static OptionalInt keyIdOf(String note) {
    if (note == null) return OptionalInt.empty();
    return SignedNote.parse(note).map(n -> OptionalInt.of(n.signatures().get(0).keyId())).orElse(OptionalInt.empty());
  }

  private static String at(Path file, SegmentLines in) {
    return file.getFileName() + ":" + in.lineNumber();
  }

  static byte[] base64(byte[] hash) {
    return Base64.getEncoder().encode(hash);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // giving up the lock of a log that could not be opened
    }
  }
}
