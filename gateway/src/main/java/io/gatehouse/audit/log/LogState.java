package io.gatehouse.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What the writer saves at each checkpoint so that a restart continues the tree without rereading the year:
 * the tree's frontier at the checkpoint, the last leaf hash, and where in the open segment the checkpoint line ends.
 * Not evidence: a restart trusts it only when its frontier's root is the signed root of the checkpoint it names and
 * that checkpoint line is really at {@code offset} in the segment ({@code LogRecovery}); otherwise the segments are
 * reread.
 *
 * @param size entries covered by the checkpoint
 * @param frontier {@code TreeBuilder.frontier()} at {@code size}
 * @param prevLeaf the leaf hash of entry {@code size - 1} (32 zero bytes for an empty log)
 * @param segment the open segment's file name
 * @param offset where the checkpoint line ends (after its newline) in that segment
 * @param lines lines in the segment up to and including the checkpoint line
 * @param from earliest entry time in the segment so far; null when it has no entry yet
 * @param to latest entry time in the segment so far; null when it has no entry yet
 * @param checkpoint the signed note of that checkpoint line
 */
public record LogState(long size, List<byte[]> frontier, byte[] prevLeaf, String segment, long offset, long lines,
    Instant from, Instant to, String checkpoint) {
  static final String FILE_NAME = "state.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public LogState {
    frontier = List.copyOf(frontier);
  }

  /** Writes it with a temporary file, an fsync and a rename, so a crash leaves the old state or the new one. */
  void save(Path dir) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("size", size);
    ArrayNode hashes = node.putArray("frontier");
    for (byte[] hash : frontier) hashes.add(Base64.getEncoder().encodeToString(hash));
    node.put("prev", Base64.getEncoder().encodeToString(prevLeaf));
    node.put("segment", segment);
    node.put("offset", offset);
    node.put("lines", lines);
    if (from != null) node.put("from", from.toString());
    if (to != null) node.put("to", to.toString());
    node.put("checkpoint", checkpoint);
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(node)));
      channel.force(true);
    }
    Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The saved state; empty when there is none or it cannot be read (a restart then rereads the segments). */
  static Optional<LogState> load(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) return Optional.empty();
    try {
      JsonNode node = JSON.readTree(file.toFile());
      List<byte[]> frontier = new ArrayList<>();
      for (JsonNode hash : node.path("frontier")) frontier.add(Base64.getDecoder().decode(hash.asText()));
      return Optional.of(new LogState(node.get("size").asLong(), frontier,
          Base64.getDecoder().decode(node.get("prev").asText()), node.get("segment").asText(),
          node.get("offset").asLong(), node.get("lines").asLong(), instant(node.get("from")), instant(node.get("to")),
          node.get("checkpoint").asText()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Instant instant(JsonNode node) {
    return node == null || node.isNull() ? null : Instant.parse(node.asText());
  }
}
