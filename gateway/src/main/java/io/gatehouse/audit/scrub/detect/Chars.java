package io.gatehouse.audit.scrub.detect;

/** Character classes the detectors share; ASCII tests only, since every format they read is ASCII. */
public final class Chars {
  private Chars() {}

  public static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  public static boolean isAsciiLetter(char c) {
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  }

  public static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  public static boolean isHex(char c) {
    return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
  }

  /** A letter or digit in any script: what joins characters into one token. */
  public static boolean isWordChar(char c) {
    if (c < 0x80) return isDigit(c) || isAsciiLetter(c);
    return Character.isLetterOrDigit(c);
  }

  /** Whether the character at {@code i} (if inside the text) continues a token. */
  public static boolean wordAt(char[] s, int i, int from, int to) {
    return i >= from && i < to && isWordChar(s[i]);
  }

  /** Number of digits in [{@code start}, {@code end}), or -1 if any character there is not a digit. */
  public static int digitRun(char[] s, int start, int end) {
    for (int i = start; i < end; i++) {
      if (!isDigit(s[i])) return -1;
    }
    return end - start;
  }

  /** End of the run of digits starting at {@code i}, at most {@code max} long and not past {@code limit}. */
  public static int digitsEnd(char[] s, int i, int limit, int max) {
    int end = Math.min(limit, i + max + 1);
    int j = i;
    while (j < end && isDigit(s[j])) j++;
    return j;
  }

  /** Parses [{@code start}, {@code end}) as a non-negative decimal number; the caller knows they are digits. */
  public static int number(char[] s, int start, int end) {
    int n = 0;
    for (int i = start; i < end; i++) n = n * 10 + (s[i] - '0');
    return n;
  }
}
