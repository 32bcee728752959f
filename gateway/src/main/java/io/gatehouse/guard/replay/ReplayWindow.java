package io.gatehouse.guard.replay;

/**
 * The set of 128-bit replay keys one replica has seen, each until its own deadline, at most {@code maxEntries} of
 * them (the oldest are dropped first). Kept in primitive arrays: a ring of keys in the order recorded and an
 * open-addressing index into it.
 *
 * <p>Written by hand, not a Caffeine cache, because of what a replay window holds: every entry lives for minutes,
 * so with one object per entry (about 240 bytes in Caffeine) a busy replica's old generation fills with them, every
 * young collection scans the cards they dirty, and a signed delivery cost a fifth more CPU than an unsigned one.
 * Here an entry is 32 bytes in arrays the collector never looks into, and nothing a caller needs from a cache
 * (frequency, recency, loaders) is missing: insertion order is the eviction order, and expiry is a comparison.
 *
 * <p>Deadlines of different lengths (webhooks with different tolerances) may interleave: an expired entry behind a
 * live one is then found expired on lookup, and still holds its place until the front of the ring reaches it or the
 * bound pushes it out. Arrays grow by doubling up to the bound, so an idle replica holds a few KiB. Not thread-safe:
 * {@link LocalReplayStore} serializes calls.
 */
final class ReplayWindow {
  private static final int INITIAL_RING = 1024;

  private final int maxEntries;
  /** The ring, indexed by position; {@code head} is the oldest entry, {@code count} entries follow it. */
  private long[] keyHigh = new long[INITIAL_RING];
  private long[] keyLow = new long[INITIAL_RING];
  private long[] deadline = new long[INITIAL_RING];
  /** False once an entry was forgotten or found expired and unindexed: its ring place waits to be reclaimed. */
  private boolean[] indexed = new boolean[INITIAL_RING];
  private int head;
  private int count;
  /** Ring position + 1 of each indexed entry, 0 for an empty slot; twice the ring's length, so at most half full. */
  private int[] index = new int[2 * INITIAL_RING];

  ReplayWindow(int maxEntries) {
    if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be positive");
    this.maxEntries = maxEntries;
  }

  /**
   * Records the key until {@code now + ttlNanos} unless it is held and not expired.
   *
   * @return true if the key was not held (it is now), false if it was seen within its window
   */
  boolean recordIfAbsent(long high, long low, long ttlNanos, long now) {
    dropExpiredFront(now);
    int slot = find(high, low);
    if (slot >= 0) {
      int position = index[slot] - 1;
      if (deadline[position] - now > 0) return false;
      unindex(slot, position);
    }
    if (count == maxEntries) dropFront();
    if (count == keyHigh.length) grow();
    int position = (head + count) & (keyHigh.length - 1);
    keyHigh[position] = high;
    keyLow[position] = low;
    deadline[position] = now + ttlNanos;
    indexed[position] = true;
    count++;
    insert(position);
    return true;
  }

  /** Removes the key if it is held. */
  void remove(long high, long low) {
    int slot = find(high, low);
    if (slot >= 0) unindex(slot, index[slot] - 1);
  }

  /** Entries recorded and not yet dropped, expired ones included until their ring place is reclaimed. */
  int size() {
    return count;
  }

  private void dropExpiredFront(long now) {
    while (count > 0 && (!indexed[head] || deadline[head] - now <= 0)) dropFront();
  }

  private void dropFront() {
    if (indexed[head]) unindex(slotOf(head), head);
    head = (head + 1) & (keyHigh.length - 1);
    count--;
  }

  private void grow() {
    int length = keyHigh.length;
    long[] high = new long[length * 2];
    long[] low = new long[length * 2];
    long[] deadlines = new long[length * 2];
    boolean[] live = new boolean[length * 2];
    for (int i = 0; i < count; i++) {
      int from = (head + i) & (length - 1);
      high[i] = keyHigh[from];
      low[i] = keyLow[from];
      deadlines[i] = deadline[from];
      live[i] = indexed[from];
    }
    keyHigh = high;
    keyLow = low;
    deadline = deadlines;
    indexed = live;
    head = 0;
    index = new int[length * 4];
    for (int i = 0; i < count; i++) if (indexed[i]) insert(i);
  }

  private int home(long high, long low) {
    // The keys are SHA-256 output: any bits are uniform, so no further mixing is needed.
    return (int) (high ^ (high >>> 32) ^ low) & (index.length - 1);
  }

  private int find(long high, long low) {
    int mask = index.length - 1;
    for (int slot = home(high, low); index[slot] != 0; slot = (slot + 1) & mask) {
      int position = index[slot] - 1;
      if (keyHigh[position] == high && keyLow[position] == low) return slot;
    }
    return -1;
  }

  private int slotOf(int position) {
    int mask = index.length - 1;
    int slot = home(keyHigh[position], keyLow[position]);
    while (index[slot] != position + 1) slot = (slot + 1) & mask;
    return slot;
  }

  private void insert(int position) {
    int mask = index.length - 1;
    int slot = home(keyHigh[position], keyLow[position]);
    while (index[slot] != 0) slot = (slot + 1) & mask;
    index[slot] = position + 1;
  }

  /**
   * Empties {@code slot} and shifts later entries of its probe run back into the gap (Knuth's deletion for linear
   * probing), so no lookup ever stops early at a hole and no tombstones accumulate.
   */
  private void unindex(int slot, int position) {
    indexed[position] = false;
    int mask = index.length - 1;
    int gap = slot;
    int next = slot;
    while (true) {
      next = (next + 1) & mask;
      if (index[next] == 0) break;
      int moved = index[next] - 1;
      int want = home(keyHigh[moved], keyLow[moved]);
      // Stays if its home lies cyclically after the gap and up to where it sits.
      boolean staysPut = gap <= next ? gap < want && want <= next : gap < want || want <= next;
      if (staysPut) continue;
      index[gap] = index[next];
      gap = next;
    }
    index[gap] = 0;
  }
}
