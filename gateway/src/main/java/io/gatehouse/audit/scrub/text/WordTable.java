package io.gatehouse.audit.scrub.text;

import java.util.Map;

/**
 * An immutable set of lower-case ASCII words with an int of flags each, looked up by a range of a char array
 * without allocating (case-insensitively). The words are packed into one char array behind an open-addressing
 * table: the 94,000 Census names take about 4 MB this way instead of a {@code HashMap}'s 10.
 *
 * <p>A word is found by its {@link #key}: for a word of up to {@value #PACKED_CHARS} characters the characters
 * themselves, seven bits each, with the length above them, so one comparison of two longs says whether two such
 * words are the same; for a longer word a hash, and then the characters are compared. A scanner folds the key in
 * as it reads the word ({@link #fold}, {@link #foldHash}, {@link #key(long, int, int)}), so a lookup does not read
 * the word again.
 */
final class WordTable {
  /** The longest word whose key is its characters. */
  static final int PACKED_CHARS = 8;
  /** The key of a word with a character beyond ASCII: no word in a table has one. */
  static final long NONE = 0;
  /** {@link #fold} and {@link #foldHash} of no characters yet. */
  static final long START_PACKED = 0;
  static final int START_HASH = 1;

  private final char[] chars;
  private final int[] offsets;
  private final int[] flags;
  private final long[] keys;
  private final int[] slots;
  private final int mask;

  WordTable(Map<String, Integer> words) {
    int total = 0;
    for (String word : words.keySet()) total += word.length();
    chars = new char[total];
    offsets = new int[words.size() + 1];
    flags = new int[words.size()];
    keys = new long[words.size()];
    int size = Integer.highestOneBit(Math.max(4, words.size() * 2 + 1)) << 1;
    slots = new int[size];
    mask = size - 1;
    int index = 0;
    int at = 0;
    for (Map.Entry<String, Integer> e : words.entrySet()) {
      String word = e.getKey();
      word.getChars(0, word.length(), chars, at);
      offsets[index] = at;
      flags[index] = e.getValue();
      at += word.length();
      offsets[index + 1] = at;
      keys[index] = key(chars, offsets[index], at);
      int h = slot(keys[index]);
      while (slots[h] != 0) h = (h + 1) & mask;
      slots[h] = index + 1;
      index++;
    }
  }

  /** The flags of the word at [from, to) (any case), or 0 if it is not in the table. */
  int get(char[] s, int from, int to) {
    return get(s, from, to, key(s, from, to));
  }

  /** {@link #get(char[], int, int)} for a caller that has the word's {@link #key}. */
  int get(char[] s, int from, int to, long key) {
    if (key == NONE) return 0;
    int h = slot(key);
    while (true) {
      int slot = slots[h];
      if (slot == 0) return 0;
      int index = slot - 1;
      if (keys[index] == key && (key > 0 || same(s, from, to, index))) return flags[index];
      h = (h + 1) & mask;
    }
  }

  private int slot(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
  }

  private boolean same(char[] s, int from, int to, int index) {
    int start = offsets[index];
    if (offsets[index + 1] - start != to - from) return false;
    for (int i = from; i < to; i++) {
      if (lower(s[i]) != chars[start + i - from]) return false;
    }
    return true;
  }

  /** The key of the lower-cased word at [from, to), or {@link #NONE} when a character is not ASCII. */
  static long key(char[] s, int from, int to) {
    long packed = START_PACKED;
    int hash = START_HASH;
    for (int i = from; i < to; i++) {
      char c = s[i];
      if (c >= 0x80) return NONE;
      packed = fold(packed, c);
      hash = foldHash(hash, c);
    }
    return key(packed, hash, to - from);
  }

  /** The characters so far with one more ASCII character; only the last {@value #PACKED_CHARS} count. */
  static long fold(long packed, char c) {
    return packed << 7 | lower(c);
  }

  /** The hash so far with one more ASCII character. */
  static int foldHash(int hash, char c) {
    return 31 * hash + lower(c);
  }

  /**
   * The key of an ASCII word of {@code length} characters folded into {@code packed} and {@code hash}: positive
   * for a short word (its characters and length), negative for a long one (its hash and length).
   */
  static long key(long packed, int hash, int length) {
    if (length <= PACKED_CHARS) return packed | (long) length << 56;
    return Long.MIN_VALUE | (long) length << 32 | hash & 0xffffffffL;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }
}
