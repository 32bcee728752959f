package io.gatehouse.audit.scrub.body;

import io.gatehouse.audit.scrub.PhiType;
import java.util.Map;

/** Redactions per type in one body. Not thread-safe: one per body. */
public final class TypeCounts {
  private static final PhiType[] TYPES = PhiType.values();
  private final int[] counts = new int[TYPES.length];

  public void add(PhiType type) {
    counts[type.ordinal()]++;
  }

  /**
   * The types with at least one redaction, as an immutable map: {@code ScrubResult} keeps it as it is instead of
   * copying it again.
   */
  public Map<PhiType, Integer> toMap() {
    int present = 0;
    for (int count : counts) {
      if (count > 0) present++;
    }
    if (present == 0) return Map.of();
    @SuppressWarnings("unchecked")
    Map.Entry<PhiType, Integer>[] entries = new Map.Entry[present];
    int k = 0;
    for (PhiType type : TYPES) {
      if (counts[type.ordinal()] > 0) entries[k++] = Map.entry(type, counts[type.ordinal()]);
    }
    return Map.ofEntries(entries);
  }
}
