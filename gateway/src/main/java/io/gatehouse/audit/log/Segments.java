package io.gatehouse.audit.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The segment files of a log directory. */
public final class Segments {
  private Segments() {}

  /** The segments in log order, one per sequence range (a plain and a compressed copy count once). */
  public static List<SegmentName> list(Path dir) throws IOException {
    List<SegmentName> segments = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "seg-*")) {
      for (Path file : files) SegmentName.parse(file.getFileName().toString()).ifPresent(segments::add);
    }
    segments.sort(Comparator.comparingLong(SegmentName::first).thenComparing(SegmentName::compressed));
    List<SegmentName> unique = new ArrayList<>();
    for (SegmentName s : segments) {
      SegmentName previous = unique.isEmpty() ? null : unique.get(unique.size() - 1);
      if (previous != null && previous.first() == s.first() && previous.last() == s.last()) continue;
      unique.add(s);
    }
    return unique;
  }

}
