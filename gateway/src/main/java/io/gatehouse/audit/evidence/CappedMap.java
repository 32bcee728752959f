package io.gatehouse.audit.evidence;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * A map of tallies by a log value (a client address, a path) that keeps at most {@code cap} keys: the values come
 * from clients, and a scan of random paths must not be able to fill the report's memory. Once full, new keys are
 * counted as {@link #overflow()} and the report says so.
 */
final class CappedMap<V> {
  /** Distinct keys kept per table: far above any real day's people or sources, far below the heap. */
  static final int CAP = 100_000;

  private final Map<String, V> map = new HashMap<>();
  private final Supplier<V> create;
  private final int cap;
  private long overflow;

  CappedMap(Supplier<V> create) {
    this(create, CAP);
  }

  CappedMap(Supplier<V> create, int cap) {
    this.create = create;
    this.cap = cap;
  }

  /** The tally for {@code key}, made on first use; null when the map is full and does not hold it (counted). */
  V get(String key) {
    V value = map.get(key);
    if (value != null) return value;
    if (map.size() >= cap) {
      overflow++;
      return null;
    }
    value = create.get();
    map.put(key, value);
    return value;
  }

  int size() {
    return map.size();
  }

  /** How many times a new key was turned away. */
  long overflow() {
    return overflow;
  }

  Map<String, V> map() {
    return map;
  }

  /** The {@code limit} largest by {@code size}, ties by key, mapped to report rows. */
  <R> List<R> top(int limit, ToLongFunction<V> size, Function<Map.Entry<String, V>, R> row) {
    return map.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, V>>comparingLong(e -> -size.applyAsLong(e.getValue()))
            .thenComparing(Map.Entry::getKey))
        .limit(limit)
        .map(row)
        .toList();
  }
}
