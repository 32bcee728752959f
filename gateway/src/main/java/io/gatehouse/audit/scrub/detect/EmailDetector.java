package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.Chars.isAsciiLetter;
import static io.gatehouse.audit.scrub.detect.Chars.isDigit;
import static io.gatehouse.audit.scrub.detect.Chars.wordAt;

import io.gatehouse.audit.scrub.PhiType;

/**
 * E-mail addresses as people write them: a local part of letters, digits and {@code . _ % + - '} (at most 64), an
 * {@code @}, and a domain of at least two labels ending in a letters-only top-level label. Found from each
 * {@code @} outwards ({@link #around}), which reads at most 64 characters back and 253 forward.
 */
public final class EmailDetector implements Detector {
  private static final int MAX_LOCAL = 64;
  private static final int MAX_DOMAIN = 253;

  @Override
  public PhiType type() {
    return PhiType.EMAIL;
  }

  @Override
  public int match(char[] s, int start, int limit, Cues cues) {
    int i = start;
    while (i < limit && i - start <= MAX_LOCAL && isLocal(s[i])) i++;
    if (i == start || i >= limit || s[i] != '@' || s[start] == '.' || i - start > MAX_LOCAL) return -1;
    return domainEnd(s, i + 1, limit);
  }

  /**
   * The address around the {@code @} at {@code at}, packed as {@code start << 32 | end}, or -1. {@code from} bounds
   * the look back: nothing before it belongs to the address.
   */
  public static long around(char[] s, int at, int from, int limit) {
    int start = at;
    while (start > from && at - start < MAX_LOCAL && isLocal(s[start - 1])) start--;
    while (start < at && (s[start] == '.' || s[start] == '-' || s[start] == '+')) start++;
    if (start == at || wordAt(s, start - 1, from, limit)) return -1;
    int end = domainEnd(s, at + 1, limit);
    return end < 0 ? -1 : ((long) start << 32) | end;
  }

  private static boolean isLocal(char c) {
    return isDigit(c) || isAsciiLetter(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
  }

  /** End of a domain of two or more labels starting at {@code i}, or -1. */
  private static int domainEnd(char[] s, int i, int limit) {
    int max = Math.min(limit, i + MAX_DOMAIN);
    int labels = 0;
    int end = -1;
    int j = i;
    while (j < max) {
      int label = j;
      boolean lettersOnly = true;
      while (j < max && (isDigit(s[j]) || isAsciiLetter(s[j]) || s[j] == '-')) {
        if (!isAsciiLetter(s[j])) lettersOnly = false;
        j++;
      }
      int length = j - label;
      if (length == 0 || length > 63 || s[label] == '-' || s[j - 1] == '-') break;
      labels++;
      if (labels >= 2 && lettersOnly && length >= 2) end = j;
      if (j + 1 < max && s[j] == '.' && (isDigit(s[j + 1]) || isAsciiLetter(s[j + 1]))) {
        j++;
      } else {
        break;
      }
    }
    if (end < 0 || wordAt(s, end, i, limit)) return -1;
    return end;
  }

  /** Whether {@code value} is one e-mail address. */
  public static boolean isValid(String value) {
    char[] c = value.toCharArray();
    return c.length > 0 && new EmailDetector().match(c, 0, c.length, Cues.NONE) == c.length;
  }
}
