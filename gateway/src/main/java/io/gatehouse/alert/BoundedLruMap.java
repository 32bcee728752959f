package io.gatehouse.alert;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps at most {@code capacity} entries, dropping the one used longest ago: what bounds each detector's
 * memory however many sources, people or routes it sees. Not thread-safe; the detector thread owns it.
 */
final class BoundedLruMap<K, V> extends LinkedHashMap<K, V> {
  private final int capacity;

  BoundedLruMap(int capacity) {
    super(16, 0.75f, true);
    this.capacity = capacity;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > capacity;
  }
}
