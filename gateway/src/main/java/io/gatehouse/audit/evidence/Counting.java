package io.gatehouse.audit.evidence;

import io.gatehouse.audit.evidence.EvidenceReport.Count;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Turning tallies into report rows: largest first, ties in key order, so a report is the same every run. */
final class Counting {
  private Counting() {}

  static List<Count> sorted(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(e -> -e.getValue()).thenComparing(Map.Entry::getKey))
        .map(e -> new Count(e.getKey(), e.getValue()))
        .toList();
  }

  static void add(Map<String, Long> counts, String key) {
    counts.merge(key, 1L, Long::sum);
  }
}
