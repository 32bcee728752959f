package io.gatehouse.audit.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The second copy of every checkpoint line, in {@code <witness.dir>/<origin>.checkpoints} (docs/audit-log.md). It
 * is only appended to (O_APPEND, so a WORM or append-only mount accepts it) and synced per checkpoint. Confined to
 * the writer thread, apart from the static readers.
 */
public final class Witness implements AutoCloseable {
  private final Path file;
  private FileChannel channel;

  public Witness(Path dir, String origin) {
    this.file = dir.resolve(fileName(origin));
  }

  /** The witness file of {@code origin}: each character outside {@code [A-Za-z0-9._-]} becomes {@code _}. */
  public static String fileName(String origin) {
    return origin.replaceAll("[^A-Za-z0-9._-]", "_") + ".checkpoints";
  }

  public Path file() {
    return file;
  }

  /** Appends one checkpoint line (without newline; one is added) and syncs it. */
  void append(byte[] line) throws IOException {
    try {
      if (channel == null) {
        Files.createDirectories(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      }
      ByteBuffer bytes = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
      while (bytes.hasRemaining()) channel.write(bytes);
      channel.force(false);
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** The notes of every well-formed checkpoint line in a witness file, in order, with their line numbers. */
  public static List<Witnessed> read(Path file) throws IOException {
    List<Witnessed> notes = new ArrayList<>();
    try (SegmentLines lines = SegmentLines.open(file)) {
      while (lines.next()) {
        Optional<String> note = CheckpointLine.decode(lines.buffer(), lines.offset(), lines.length());
        notes.add(new Witnessed(file, lines.lineNumber(), note.orElse(null)));
      }
    }
    return notes;
  }

  /** The last note of {@code origin}'s witness file in {@code dir}; empty when there is none. */
  public static Optional<Witnessed> latest(Path dir, String origin) throws IOException {
    Path file = dir.resolve(fileName(origin));
    if (!Files.isRegularFile(file)) return Optional.empty();
    List<Witnessed> all = read(file);
    for (int i = all.size() - 1; i >= 0; i--) if (all.get(i).note() != null) return Optional.of(all.get(i));
    return Optional.empty();
  }

  /** One witness line: its note, or null when the line is not a checkpoint line. */
  public record Witnessed(Path file, long line, String note) {}

  @Override
  public void close() {
    if (channel == null) return;
    try {
      channel.close();
    } catch (IOException ignored) {
      // dropping a channel after a failure; the failure itself is reported by the caller
    }
    channel = null;
  }
}
