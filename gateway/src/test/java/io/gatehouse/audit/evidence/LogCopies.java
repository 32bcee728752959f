package io.gatehouse.audit.evidence;

import io.gatehouse.audit.log.SegmentCompression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Copies of a log directory to tamper with, plain and compressed segments alike. */
final class LogCopies {
  private LogCopies() {}

  static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("LOCK")) Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  /** Replaces {@code from} by {@code to} in the first segment line that holds it; returns that segment. */
  static Path editFirstMatch(Path dir, String from, String to) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().filter(p -> p.getFileName().toString().startsWith("seg-")).toList()) {
        SegmentCompression compression = SegmentCompression.ofFileName(f.getFileName().toString());
        List<String> lines = new java.util.ArrayList<>(read(f, compression).lines().toList());
        for (int i = 0; i < lines.size(); i++) {
          if (!lines.get(i).contains(from)) continue;
          lines.set(i, lines.get(i).replace(from, to));
          write(f, compression, String.join("\n", lines) + "\n");
          return f;
        }
      }
    }
    throw new AssertionError("no segment of " + dir + " holds " + from);
  }

  private static String read(Path f, SegmentCompression compression) throws IOException {
    try (InputStream in = compression.reader(Files.newInputStream(f))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void write(Path f, SegmentCompression compression, String text) throws IOException {
    try (OutputStream out = compression.writer(Files.newOutputStream(f))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
