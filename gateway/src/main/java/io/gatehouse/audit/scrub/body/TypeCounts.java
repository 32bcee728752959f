package io.gatehouse.audit.scrub.body;

import io.gatehouse.audit.scrub.PhiType;
import java.util.EnumMap;
import java.util.Map;

/** Redactions per type in one body. Not thread-safe: one per body. */
public final class TypeCounts {
  private static final PhiType[] TYPES = PhiType.values();
  private final int[] counts = new int[TYPES.length];

  public void add(PhiType type) {
    counts[type.ordinal()]++;
  }

  /** The types with at least one redaction. */
  public Map<PhiType, Integer> toMap() {
    Map<PhiType, Integer> map = new EnumMap<>(PhiType.class);
    for (PhiType type : TYPES) {
      if (counts[type.ordinal()] > 0) map.put(type, counts[type.ordinal()]);
    }
    return map;
  }
}
