package io.gatehouse.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a log directory's entries as JSON, in log order, for reports and tests. It checks nothing: that is
 * {@code verify-log}'s job; lines that are not entries are skipped.
 */
public final class LogEntries {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LogEntries() {}

  /** Receives each entry. */
  @FunctionalInterface
  public interface Visitor {
    void entry(JsonNode entry) throws IOException;
  }

  /** Every entry of every segment of {@code dir}; a half-written last line is skipped. */
  public static void forEach(Path dir, Visitor visitor) throws IOException {
    for (SegmentName segment : Segments.list(dir)) read(dir, segment, visitor);
  }

  /** Reads one segment; a running writer may seal or compress it meanwhile, so its new name is looked up. */
  private static void read(Path dir, SegmentName segment, Visitor visitor) throws IOException {
    try {
      forEach(dir.resolve(segment.fileName()), segment, visitor);
    } catch (java.nio.file.NoSuchFileException moved) {
      for (SegmentName now : Segments.list(dir)) {
        if (now.first() == segment.first()) {
          forEach(dir.resolve(now.fileName()), now, visitor);
          return;
        }
      }
      throw moved;
    }
  }

  /** The entries of the segments whose names say they may hold times in {@code [from, to)}. */
  public static void forEachBetween(Path dir, java.time.Instant from, java.time.Instant to, Visitor visitor)
      throws IOException {
    for (SegmentName segment : Segments.list(dir)) {
      if (segment.mayOverlap(from, to)) read(dir, segment, visitor);
    }
  }

  private static void forEach(Path file, SegmentName segment, Visitor visitor) throws IOException {
    try (SegmentLines lines = SegmentLines.open(file)) {
      while (lines.next()) {
        if (!lines.terminated() || CheckpointLine.looksLikeOne(lines.buffer(), lines.offset(), lines.length())) continue;
        JsonNode node;
        try {
          node = JSON.readTree(lines.buffer(), lines.offset(), lines.length());
        } catch (IOException e) {
          continue;
        }
        if (node != null && node.has("seq")) visitor.entry(node);
      }
    }
  }

  /** All entries, in a list (small logs: tests and tools). */
  public static List<JsonNode> all(Path dir) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    forEach(dir, out::add);
    return out;
  }
}
