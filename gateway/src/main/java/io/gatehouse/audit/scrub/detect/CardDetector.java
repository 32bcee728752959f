package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.Chars.isDigit;
import static io.gatehouse.audit.scrub.detect.Chars.wordAt;

import io.gatehouse.audit.scrub.PhiType;

/**
 * Payment card numbers: 13 to 19 digits, bare or in groups split by one space or dash (the same throughout), that
 * pass Luhn and start with an issuer prefix whose lengths fit (ISO/IEC 7812 IINs of Visa, Mastercard, Amex, Diners,
 * JCB, Discover, UnionPay, Maestro, Mir). A Luhn-valid number without such a prefix (a tracking number, an IMEI, an
 * NPI) is left alone.
 */
public final class CardDetector implements Detector {
  private static final int MAX_DIGITS = 19;

  @Override
  public PhiType type() {
    return PhiType.CARD;
  }

  @Override
  public int match(char[] s, int start, int limit, Cues cues) {
    char first = s[start];
    if (first < '2' || first > '6' || !enoughDigits(s, start, limit)) return -1;
    int[] digits = new int[MAX_DIGITS];
    // Digit count and end position after each group, so a card followed by more digits ("... 1111 2024") is
    // still found at the group boundary where it ends.
    int[] groupDigits = new int[MAX_DIGITS];
    int[] groupEnds = new int[MAX_DIGITS];
    int groups = 0;
    int count = 0;
    int i = start;
    char sep = 0;
    while (true) {
      int j = i;
      while (j < limit && isDigit(s[j]) && count < MAX_DIGITS + 1) {
        if (count < MAX_DIGITS) digits[count] = s[j] - '0';
        count++;
        j++;
      }
      if (j == i || count > MAX_DIGITS) break;
      groupDigits[groups] = count;
      groupEnds[groups] = j;
      groups++;
      if (j + 1 < limit && (s[j] == ' ' || s[j] == '-') && (sep == 0 || s[j] == sep) && isDigit(s[j + 1])) {
        sep = s[j];
        i = j + 1;
      } else {
        break;
      }
    }
    for (int g = groups - 1; g >= 0; g--) {
      int n = groupDigits[g];
      if (n < 13) break;
      int end = groupEnds[g];
      if (wordAt(s, end, start, limit)) continue;
      if (issuerFits(digits, n) && Luhn.valid(digits, n)) return end;
    }
    return -1;
  }

  /** A cheap look ahead before any allocation: most numbers in a payload are far shorter than a card's. */
  private static boolean enoughDigits(char[] s, int start, int limit) {
    int count = 0;
    int end = Math.min(limit, start + 2 * MAX_DIGITS);
    for (int i = start; i < end && count < 13; i++) {
      char c = s[i];
      if (isDigit(c)) {
        count++;
      } else if (c != ' ' && c != '-') {
        break;
      }
    }
    return count >= 13;
  }

  /** Whether the leading digits are an issuer prefix that issues numbers of {@code length} digits. */
  static boolean issuerFits(int[] d, int length) {
    int two = d[0] * 10 + d[1];
    int four = two * 100 + d[2] * 10 + d[3];
    switch (d[0]) {
      case 2:
        return (four >= 2221 && four <= 2720 && length == 16) || (four >= 2200 && four <= 2204 && length >= 16);
      case 3:
        if (two == 34 || two == 37) return length == 15;
        if (two == 35) return four >= 3528 && four <= 3589 && length >= 16;
        if (two == 36 || two == 38 || two == 39) return length >= 14;
        if (two == 30) return (four <= 3059 || four / 10 == 309) && length >= 14;
        return false;
      case 4:
      case 5:
      case 6:
        return true;
      default:
        return false;
    }
  }

  /** Whether {@code value} (digits with optional spaces or dashes) is a card number. */
  public static boolean isValid(String value) {
    String digits = value.replace(" ", "").replace("-", "");
    if (digits.length() < 13 || digits.length() > MAX_DIGITS) return false;
    int[] d = new int[digits.length()];
    for (int i = 0; i < d.length; i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') return false;
      d[i] = c - '0';
    }
    return issuerFits(d, d.length) && Luhn.valid(d, d.length);
  }
}
