package io.gatehouse.audit.prove;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.audit.log.CheckpointLine;
import io.gatehouse.audit.log.EntryScan;
import io.gatehouse.audit.log.SegmentLines;
import io.gatehouse.audit.log.SegmentName;
import io.gatehouse.audit.log.Segments;
import io.gatehouse.audit.merkle.Hasher;
import io.gatehouse.audit.merkle.ProofPlan;
import io.gatehouse.audit.note.Checkpoint;
import io.gatehouse.audit.note.KeyRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Makes the proofs {@code gatehouse audit prove} prints, as JSON an auditor keeps with the entry: an inclusion proof
 * (RFC 9162 §2.1.3) of one entry in a signed checkpoint, or a consistency proof (§2.1.4) between two checkpoints.
 * One pass over the segments up to the checkpoint's size, O(log n) memory ({@link ProofPlan}). The log is assumed
 * intact (run {@code verify-log} first); a proof made from an altered log does not verify against a signed root.
 */
public final class Proofs {
  static final ObjectMapper JSON = new ObjectMapper();
  /** For printing: one field per line, so an auditor can read it. */
  public static final com.fasterxml.jackson.databind.ObjectWriter JSON_PRETTY = JSON.writerWithDefaultPrettyPrinter();

  private Proofs() {}

  /** The proof cannot be made: the entry is not under the checkpoint, the checkpoints do not follow, etc. */
  public static final class ProofException extends Exception {
    public ProofException(String message) {
      super(message);
    }
  }

  /** The inclusion proof of entry {@code seq} in {@code checkpointNote}, or in the log's latest checkpoint. */
  public static ObjectNode inclusion(Path dir, long seq, Optional<String> checkpointNote) throws IOException, ProofException {
    String note = checkpointNote.isPresent() ? checkpointNote.get() : latestCheckpoint(dir)
        .orElseThrow(() -> new ProofException("the log in " + dir + " has no checkpoint yet"));
    Checkpoint checkpoint = parse(note);
    if (seq < 0 || seq >= checkpoint.size()) {
      throw new ProofException("entry " + seq + " is not covered by the checkpoint of size " + checkpoint.size());
    }
    ProofPlan plan = ProofPlan.inclusion(seq, checkpoint.size());
    byte[][] entry = new byte[2][];
    readLeaves(dir, plan, (index, line, leaf) -> {
      if (index == seq) {
        entry[0] = line;
        entry[1] = leaf;
      }
    });
    ObjectNode out = JSON.createObjectNode();
    out.put("type", "inclusion");
    out.put("seq", seq);
    out.put("entry", new String(entry[0], StandardCharsets.UTF_8));
    out.put("leaf_hash", b64(entry[1]));
    out.put("tree_size", checkpoint.size());
    hashes(out.putArray("proof"), plan.proof());
    out.put("checkpoint", note);
    return out;
  }

  /** The consistency proof from {@code oldNote}'s tree to {@code newNote}'s. */
  public static ObjectNode consistency(Path dir, String oldNote, String newNote) throws IOException, ProofException {
    Checkpoint older = parse(oldNote);
    Checkpoint newer = parse(newNote);
    if (older.size() > newer.size()) {
      throw new ProofException("the first checkpoint (size " + older.size() + ") is larger than the second ("
          + newer.size() + ")");
    }
    ProofPlan plan = ProofPlan.consistency(older.size(), newer.size());
    readLeaves(dir, plan, (index, line, leaf) -> { });
    ObjectNode out = JSON.createObjectNode();
    out.put("type", "consistency");
    out.put("old_size", older.size());
    out.put("new_size", newer.size());
    hashes(out.putArray("proof"), plan.proof());
    out.put("old_checkpoint", oldNote);
    out.put("new_checkpoint", newNote);
    return out;
  }

  /** Reads a checkpoint from a file holding its signed note, or a checkpoint line (a witness or segment line). */
  public static String readCheckpointFile(Path file) throws IOException, ProofException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String trimmed = text.strip();
    if (trimmed.startsWith("{")) {
      byte[] b = trimmed.getBytes(StandardCharsets.UTF_8);
      return CheckpointLine.decode(b, 0, b.length)
          .orElseThrow(() -> new ProofException(file + " is not a checkpoint line"));
    }
    parse(text);
    return text;
  }

  /** The last checkpoint line of the log, searching from its last segment back. */
  public static Optional<String> latestCheckpoint(Path dir) throws IOException {
    List<SegmentName> segments = Segments.list(dir);
    for (int i = segments.size() - 1; i >= 0; i--) {
      String found = null;
      try (SegmentLines lines = SegmentLines.open(dir.resolve(segments.get(i).fileName()))) {
        while (lines.next()) {
          if (lines.terminated() && CheckpointLine.looksLikeOne(lines.buffer(), lines.offset(), lines.length())) {
            found = CheckpointLine.decode(lines.buffer(), lines.offset(), lines.length()).orElse(found);
          }
        }
      }
      if (found != null) return Optional.of(found);
    }
    return Optional.empty();
  }

  @FunctionalInterface
  private interface LeafVisitor {
    void leaf(long index, byte[] line, byte[] leafHash);
  }

  private static void readLeaves(Path dir, ProofPlan plan, LeafVisitor visitor) throws IOException, ProofException {
    Hasher hasher = new Hasher();
    EntryScan scan = new EntryScan();
    long index = 0;
    for (SegmentName segment : Segments.list(dir)) {
      if (index >= plan.leavesNeeded()) break;
      try (SegmentLines lines = SegmentLines.open(dir.resolve(segment.fileName()))) {
        while (index < plan.leavesNeeded() && lines.next()) {
          byte[] b = lines.buffer();
          if (!lines.terminated() || CheckpointLine.looksLikeOne(b, lines.offset(), lines.length())) continue;
          if (!scan.scan(b, lines.offset(), lines.length())) continue;
          byte[] leaf = hasher.leaf(b, lines.offset(), lines.length());
          plan.leaf(leaf);
          visitor.leaf(index, java.util.Arrays.copyOfRange(b, lines.offset(), lines.offset() + lines.length()), leaf);
          index++;
        }
      }
    }
    if (index < plan.leavesNeeded()) {
      throw new ProofException("the log holds " + index + " entries, fewer than the " + plan.leavesNeeded()
          + " the checkpoint covers");
    }
  }

  static Checkpoint parse(String note) throws ProofException {
    return Checkpoint.parse(KeyRing.textOf(note)).orElseThrow(() -> new ProofException("not a checkpoint"));
  }

  static String b64(byte[] hash) {
    return Base64.getEncoder().encodeToString(hash);
  }

  private static void hashes(ArrayNode into, List<byte[]> proof) {
    for (byte[] hash : proof) into.add(b64(hash));
  }

  static List<byte[]> hashes(JsonNode array) {
    List<byte[]> out = new ArrayList<>();
    for (JsonNode hash : array) out.add(Base64.getDecoder().decode(hash.asText()));
    return out;
  }
}
