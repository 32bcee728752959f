package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.Chars.isDigit;
import static io.gatehouse.audit.scrub.detect.Chars.wordAt;

import io.gatehouse.audit.scrub.PhiType;

/**
 * IPv4 addresses in dotted-decimal: four octets 0-255 without leading zeros (an address with them, {@code 010},
 * is read as octal by some parsers and is not what logs print), not followed by another {@code .digit}, so a
 * five-part version number is not taken for one.
 */
public final class Ipv4Detector implements Detector {
  @Override
  public PhiType type() {
    return PhiType.IP;
  }

  @Override
  public int match(char[] s, int start, int limit, Cues cues) {
    int i = start;
    for (int part = 0; part < 4; part++) {
      if (part > 0) {
        if (i >= limit || s[i] != '.') return -1;
        i++;
      }
      int end = Chars.digitsEnd(s, i, limit, 3);
      int length = end - i;
      if (length == 0 || length > 3 || (length > 1 && s[i] == '0') || Chars.number(s, i, end) > 255) return -1;
      i = end;
    }
    if (wordAt(s, i, start, limit)) return -1;
    if (i + 1 < limit && s[i] == '.' && isDigit(s[i + 1])) return -1;
    return i;
  }

  /** Whether {@code value} is one IPv4 address. */
  public static boolean isValid(String value) {
    char[] c = value.toCharArray();
    return c.length > 0 && new Ipv4Detector().match(c, 0, c.length, Cues.NONE) == c.length;
  }
}
