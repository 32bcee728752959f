package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.Chars.isDigit;
import static io.gatehouse.audit.scrub.detect.Chars.wordAt;

import io.gatehouse.audit.scrub.PhiType;

/**
 * Medicare Beneficiary Identifiers: 11 characters in CMS's fixed pattern (CMS, "Understanding the MBI format"):
 * position 1 a digit 1-9; 2, 5, 8 and 9 letters; 3 and 6 a letter or digit; 4, 7, 10 and 11 digits. Letters are
 * capitals other than S, L, O, I, B and Z. Written plain or as {@code 1EG4-TE5-MK73}.
 */
public final class MbiDetector implements Detector {
  private static final char LETTER = 'L';
  private static final char EITHER = 'E';
  private static final char DIGIT = 'D';
  private static final String PATTERN = "DLEDLEDLLDD";

  @Override
  public PhiType type() {
    return PhiType.MBI;
  }

  @Override
  public int match(char[] s, int start, int limit, Cues cues) {
    if (start + 11 > limit || s[start] == '0') return -1;
    boolean dashed = start + 13 <= limit && s[start + 4] == '-' && s[start + 8] == '-';
    int end = start + (dashed ? 13 : 11);
    int p = 0;
    for (int i = start; i < end; i++) {
      if (dashed && (i == start + 4 || i == start + 8)) continue;
      if (!fits(PATTERN.charAt(p++), s[i])) return -1;
    }
    return wordAt(s, end, start, limit) ? -1 : end;
  }

  private static boolean fits(char kind, char c) {
    switch (kind) {
      case DIGIT:
        return isDigit(c);
      case LETTER:
        return letter(c);
      case EITHER:
        return isDigit(c) || letter(c);
      default:
        throw new AssertionError(kind);
    }
  }

  private static boolean letter(char c) {
    return c >= 'A' && c <= 'Z' && "SLOIBZ".indexOf(c) < 0;
  }

  /** Whether {@code value} is a valid MBI, with or without its dashes. */
  public static boolean isValid(String value) {
    char[] c = value.toCharArray();
    return c.length > 0 && new MbiDetector().match(c, 0, c.length, Cues.NONE) == c.length;
  }
}
