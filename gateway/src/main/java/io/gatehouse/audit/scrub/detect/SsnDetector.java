package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.Chars.isDigit;
import static io.gatehouse.audit.scrub.detect.Chars.number;
import static io.gatehouse.audit.scrub.detect.Chars.wordAt;

import io.gatehouse.audit.scrub.PhiType;

/**
 * US Social Security numbers: {@code AAA-GG-SSSS} or {@code AAA GG SSSS} anywhere; nine bare digits only with an SSN
 * cue (a bare 9-digit number is as likely an order or routing number). The SSA never issues area 000, 666 or
 * 900-999, group 00 or serial 0000 (SSA, "Social Security Number Randomization", 2011), so those are refused.
 */
public final class SsnDetector implements Detector {
  @Override
  public PhiType type() {
    return PhiType.SSN;
  }

  @Override
  public int match(char[] s, int start, int limit, Cues cues) {
    if (start + 9 > limit) return -1;
    if (start + 11 <= limit && isDigit(s[start]) && isDigit(s[start + 1]) && isDigit(s[start + 2])) {
      char sep = s[start + 3];
      if ((sep == '-' || sep == ' ') && s[start + 6] == sep && Chars.digitRun(s, start + 4, start + 6) == 2
          && Chars.digitRun(s, start + 7, start + 11) == 4 && !wordAt(s, start + 11, start, limit)) {
        return valid(number(s, start, start + 3), number(s, start + 4, start + 6), number(s, start + 7, start + 11))
            ? start + 11 : -1;
      }
    }
    if (Chars.digitRun(s, start, start + 9) == 9 && !wordAt(s, start + 9, start, limit)
        && cues.near(Cue.SSN, start, start + 9)) {
      return valid(number(s, start, start + 3), number(s, start + 3, start + 5), number(s, start + 5, start + 9))
          ? start + 9 : -1;
    }
    return -1;
  }

  /** The SSA's rules for the three parts. */
  public static boolean valid(int area, int group, int serial) {
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
  }

  /** Whether {@code value} is a valid SSN, with dashes, spaces or none. */
  public static boolean isValid(String value) {
    String digits = value.replace("-", "").replace(" ", "");
    if (digits.length() != 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
    return valid(Integer.parseInt(digits.substring(0, 3)), Integer.parseInt(digits.substring(3, 5)),
        Integer.parseInt(digits.substring(5)));
  }
}
