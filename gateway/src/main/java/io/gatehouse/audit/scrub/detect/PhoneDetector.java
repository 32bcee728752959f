package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.Chars.isDigit;
import static io.gatehouse.audit.scrub.detect.Chars.number;
import static io.gatehouse.audit.scrub.detect.Chars.wordAt;

import io.gatehouse.audit.scrub.PhiType;

/**
 * North American (NANP) phone numbers: an area code and exchange that each start with 2-9 and are not N11 service
 * codes, then four digits, written {@code (AAA) EEE-NNNN}, {@code AAA-EEE-NNNN}, {@code AAA.EEE.NNNN},
 * {@code AAA EEE NNNN}, with {@code +1} or {@code 1} in front or not, and an extension ({@code x12},
 * {@code ext. 12}) after. Ten bare digits are a phone number only with a phone cue, or after {@code +1}.
 */
public final class PhoneDetector implements Detector {
  @Override
  public PhiType type() {
    return PhiType.PHONE;
  }

  @Override
  public int match(char[] s, int start, int limit, Cues cues) {
    int i = start;
    boolean country = false;
    if (s[i] == '+') {
      if (i + 2 >= limit || s[i + 1] != '1') return -1;
      country = true;
      i += 2;
      if (isSeparator(s[i])) i++;
    } else if (s[i] == '1' && i + 2 < limit && isSeparator(s[i + 1]) && (isDigit(s[i + 2]) || s[i + 2] == '(')) {
      country = true;
      i += 2;
    }
    if (i >= limit) return -1;
    int area;
    boolean parens = s[i] == '(';
    boolean areaSeparated;
    if (parens) {
      if (i + 5 > limit || Chars.digitRun(s, i + 1, i + 4) != 3 || s[i + 4] != ')') return -1;
      area = number(s, i + 1, i + 4);
      i += 5;
      if (i < limit && s[i] == ' ') i++;
      areaSeparated = true;
    } else {
      if (i + 3 > limit || Chars.digitRun(s, i, i + 3) != 3) return -1;
      area = number(s, i, i + 3);
      i += 3;
      areaSeparated = i < limit && isSeparator(s[i]);
      if (areaSeparated) i++;
    }
    if (i + 3 > limit || Chars.digitRun(s, i, i + 3) != 3) return -1;
    int exchange = number(s, i, i + 3);
    i += 3;
    boolean separated = i < limit && isSeparator(s[i]);
    // "(555) 123-4567" and "555-123-4567" separate both parts, "5551234567" neither; a mix ("555-1234567") is
    // rarely a phone number and often part of a longer code.
    if (separated != areaSeparated) return -1;
    if (separated) i++;
    if (i + 4 > limit || Chars.digitRun(s, i, i + 4) != 4) return -1;
    i += 4;
    if (wordAt(s, i, start, limit)) return -1;
    if (!validArea(area) || !validExchange(exchange)) return -1;
    if (!separated && !country && !cues.near(Cue.PHONE, start, i)) return -1;
    return extension(s, i, limit);
  }

  private static boolean isSeparator(char c) {
    return c == '-' || c == '.' || c == ' ';
  }

  /** Past " x1234", " ext. 1234", "ext 1234" if one follows: the extension is part of the number. */
  private static int extension(char[] s, int end, int limit) {
    int i = end;
    if (i < limit && s[i] == ' ') i++;
    if (i < limit && (s[i] == 'x' || s[i] == 'X')) {
      i++;
    } else if (i + 3 <= limit && (s[i] | 0x20) == 'e' && (s[i + 1] | 0x20) == 'x' && (s[i + 2] | 0x20) == 't') {
      i += 3;
      if (i < limit && s[i] == '.') i++;
      if (i < limit && s[i] == ' ') i++;
    } else {
      return end;
    }
    int digits = Chars.digitsEnd(s, i, limit, 6);
    if (digits == i || digits - i > 6 || wordAt(s, digits, i, limit)) return end;
    return digits;
  }

  /** NANP area codes: NXX, N = 2-9, and not an N11 service code. */
  public static boolean validArea(int area) {
    return area >= 200 && area % 100 != 11;
  }

  /** NANP central office codes: NXX, N = 2-9, and not N11. */
  public static boolean validExchange(int exchange) {
    return exchange >= 200 && exchange % 100 != 11;
  }

  /** Whether {@code value} is a NANP phone number in one of the forms above (bare digits counted as one). */
  public static boolean isValid(String value) {
    char[] c = value.toCharArray();
    return c.length > 0 && new PhoneDetector().match(c, 0, c.length, (cue, a, b) -> true) == c.length;
  }
}
