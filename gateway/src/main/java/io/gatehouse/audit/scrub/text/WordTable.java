package io.gatehouse.audit.scrub.text;

import java.util.Map;

/**
 * An immutable set of lower-case ASCII words with an int of flags each, looked up by a range of a char array
 * without allocating (case-insensitively). The words are packed into one char array behind an open-addressing
 * table: the 94,000 Census names take about 2 MB this way instead of a {@code HashMap}'s 10.
 */
final class WordTable {
  private final char[] chars;
  private final int[] offsets;
  private final int[] flags;
  private final int[] slots;
  private final int mask;

  WordTable(Map<String, Integer> words) {
    int total = 0;
    for (String word : words.keySet()) total += word.length();
    chars = new char[total];
    offsets = new int[words.size() + 1];
    flags = new int[words.size()];
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
      int h = hash(chars, offsets[index], at) & mask;
      while (slots[h] != 0) h = (h + 1) & mask;
      slots[h] = index + 1;
      index++;
    }
  }

  /** The flags of the word at [from, to) (any case), or 0 if it is not in the table. */
  int get(char[] s, int from, int to) {
    return get(s, from, to, hash(s, from, to));
  }

  /**
   * {@link #get(char[], int, int)} for a caller that already has the word's {@link #hash}, folded in as it read the
   * word ({@link #step}, {@link #finish}).
   */
  int get(char[] s, int from, int to, int hash) {
    int h = hash;
    if (h == 0 && to > from) return 0;
    h &= mask;
    int length = to - from;
    while (true) {
      int slot = slots[h];
      if (slot == 0) return 0;
      int start = offsets[slot - 1];
      if (offsets[slot] - start == length && same(s, from, start, length)) return flags[slot - 1];
      h = (h + 1) & mask;
    }
  }

  private boolean same(char[] s, int from, int start, int length) {
    for (int i = 0; i < length; i++) {
      if (lower(s[from + i]) != chars[start + i]) return false;
    }
    return true;
  }

  /** A hash of the lower-cased word, or 0 when a character is not ASCII (no word in a table is). */
  static int hash(char[] s, int from, int to) {
    int h = START;
    for (int i = from; i < to; i++) {
      char c = s[i];
      if (c >= 0x80) return 0;
      h = step(h, c);
    }
    return finish(h);
  }

  /** The hash of no characters yet. */
  static final int START = 1;

  /** The hash so far with one more ASCII character. */
  static int step(int h, char c) {
    return 31 * h + lower(c);
  }

  /** The {@link #hash} of the word whose characters were folded into {@code h}. */
  static int finish(int h) {
    h ^= h >>> 16;
    return h == 0 ? 1 : h;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }
}
