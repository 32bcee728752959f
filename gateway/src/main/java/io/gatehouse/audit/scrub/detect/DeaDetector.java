package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.Chars.isDigit;
import static io.gatehouse.audit.scrub.detect.Chars.isUpper;
import static io.gatehouse.audit.scrub.detect.Chars.wordAt;

import io.gatehouse.audit.scrub.PhiType;

/**
 * DEA registration numbers: a registrant-type letter, the registrant's initial (or 9), seven digits, in capitals.
 * The last digit is the check: (d1 + d3 + d5) + 2 (d2 + d4 + d6), mod 10 (21 CFR 1301; DEA Diversion Control).
 */
public final class DeaDetector implements Detector {
  /** Registrant types the DEA issues (A/B/F/G practitioners, M mid-levels, P-U distributors and so on). */
  private static final String FIRST_LETTERS = "ABCDEFGHJKLMPRSTUX";

  @Override
  public PhiType type() {
    return PhiType.DEA;
  }

  @Override
  public int match(char[] s, int start, int limit, Cues cues) {
    int end = start + 9;
    if (end > limit || FIRST_LETTERS.indexOf(s[start]) < 0) return -1;
    char second = s[start + 1];
    if (!isUpper(second) && second != '9') return -1;
    for (int i = start + 2; i < end; i++) {
      if (!isDigit(s[i])) return -1;
    }
    if (wordAt(s, end, start, limit)) return -1;
    return checks(s, start + 2) ? end : -1;
  }

  private static boolean checks(char[] s, int d) {
    int odd = (s[d] - '0') + (s[d + 2] - '0') + (s[d + 4] - '0');
    int even = (s[d + 1] - '0') + (s[d + 3] - '0') + (s[d + 5] - '0');
    return (odd + 2 * even) % 10 == s[d + 6] - '0';
  }

  /** Whether {@code value} is a valid DEA number. */
  public static boolean isValid(String value) {
    char[] c = value.toCharArray();
    return c.length == 9 && new DeaDetector().match(c, 0, 9, Cues.NONE) == 9;
  }
}
