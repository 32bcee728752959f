package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.Chars.isAsciiLetter;
import static io.gatehouse.audit.scrub.detect.Chars.isDigit;
import static io.gatehouse.audit.scrub.detect.Chars.number;
import static io.gatehouse.audit.scrub.detect.Chars.wordAt;

import io.gatehouse.audit.scrub.PhiType;

/**
 * Calendar dates tied to a person: a date counts only with a {@link Cue#PERSON_DATE} cue (birth, admitted,
 * discharged, died) nearby or in its field's name, since payloads are full of dates that identify no one (when an
 * execution ran, an invoice's date). Forms: {@code 1985-03-02} (with a time after it), {@code 1985/03/02},
 * {@code 03/02/1985}, {@code 3/2/85}, {@code 03-02-1985}, {@code 02.03.1985}, {@code 19850302},
 * {@code March 2, 1985}, {@code Mar. 2 1985}, {@code 2 March 1985}, {@code 02-Mar-1985}.
 */
public final class DateDetector implements Detector {
  private static final String[] MONTHS = {
      "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
      "december"};

  @Override
  public PhiType type() {
    return PhiType.DATE;
  }

  @Override
  public int match(char[] s, int start, int limit, Cues cues) {
    int end = isDigit(s[start]) ? numeric(s, start, limit) : textual(s, start, limit);
    if (end < 0 || wordAt(s, end, start, limit)) return -1;
    return cues.near(Cue.PERSON_DATE, start, end) ? end : -1;
  }

  private static int numeric(char[] s, int start, int limit) {
    int a = Chars.digitsEnd(s, start, limit, 8);
    int length = a - start;
    if (length == 8 && !wordAt(s, a, start, limit)) {
      return day(number(s, start, start + 4), number(s, start + 4, start + 6), number(s, start + 6, a)) ? a : -1;
    }
    if (a >= limit || length == 0 || length > 4) return -1;
    char sep = s[a];
    if (sep != '-' && sep != '/' && sep != '.' && sep != ' ') return -1;
    if (sep == '-' || sep == ' ') {
      int month = monthName(s, a + 1, limit);
      if (month > 0 && length <= 2) return dayMonthYear(s, start, a, month, limit);
    }
    if (sep == ' ') return monthAfterDay(s, start, a, limit);
    int b = Chars.digitsEnd(s, a + 1, limit, 4);
    if (b - a - 1 == 0 || b - a - 1 > 2 || b >= limit || s[b] != sep) return -1;
    int c = Chars.digitsEnd(s, b + 1, limit, 4);
    int first = number(s, start, a);
    int second = number(s, a + 1, b);
    if (length == 4) {
      if (c - b - 1 == 0 || c - b - 1 > 2 || !day(first, second, number(s, b + 1, c))) return -1;
      return time(s, c, limit);
    }
    int yearLength = c - b - 1;
    if (yearLength != 2 && yearLength != 4) return -1;
    int year = number(s, b + 1, c);
    if (yearLength == 2) year += 1900;
    // 03/02/1985 is March 2 in the US and 3 February elsewhere; either reading that is a date will do.
    return day(year, first, second) || day(year, second, first) ? c : -1;
  }

  private static int dayMonthYear(char[] s, int start, int dayEnd, int month, int limit) {
    char sep = s[dayEnd];
    int monthEnd = monthEnd(s, dayEnd + 1, limit);
    if (monthEnd >= limit || s[monthEnd] != sep) return -1;
    int y = Chars.digitsEnd(s, monthEnd + 1, limit, 4);
    if (y - monthEnd - 1 != 4 && y - monthEnd - 1 != 2) return -1;
    int year = number(s, monthEnd + 1, y) + (y - monthEnd - 1 == 2 ? 1900 : 0);
    return day(year, month, number(s, start, dayEnd)) ? y : -1;
  }

  private static int monthAfterDay(char[] s, int start, int dayEnd, int limit) {
    int i = dayEnd + 1;
    int month = monthName(s, i, limit);
    if (month < 0) return -1;
    i = monthEnd(s, i, limit);
    if (i < limit && s[i] == ',') i++;
    if (i >= limit || s[i] != ' ') return -1;
    int y = Chars.digitsEnd(s, i + 1, limit, 4);
    if (y - i - 1 != 4) return -1;
    return day(number(s, i + 1, y), month, number(s, start, dayEnd)) ? y : -1;
  }

  private static int textual(char[] s, int start, int limit) {
    int i = monthEnd(s, start, limit);
    // Every word of a text comes here: the space and digit after a month are cheaper to look for than the month.
    if (i >= limit - 1 || s[i] != ' ' || !isDigit(s[i + 1])) return -1;
    int month = monthName(s, start, limit);
    if (month < 0) return -1;
    i++;
    int d = Chars.digitsEnd(s, i, limit, 2);
    if (d == i || d - i > 2) return -1;
    int dayOfMonth = number(s, i, d);
    i = d;
    if (i + 1 < limit && ((s[i] | 0x20) == 's' || (s[i] | 0x20) == 'n' || (s[i] | 0x20) == 'r'
        || (s[i] | 0x20) == 't') && isAsciiLetter(s[i + 1])) {
      i += 2; // 1st, 2nd, 3rd, 4th
    }
    if (i < limit && s[i] == ',') i++;
    if (i >= limit || s[i] != ' ') return -1;
    int y = Chars.digitsEnd(s, i + 1, limit, 4);
    if (y - i - 1 != 4) return -1;
    return day(number(s, i + 1, y), month, dayOfMonth) ? y : -1;
  }

  /** 1-12 if a month's name or three-letter abbreviation starts at {@code i}, else -1. */
  private static int monthName(char[] s, int i, int limit) {
    if (i + 3 > limit || !isAsciiLetter(s[i])) return -1;
    int end = i;
    while (end < limit && end - i < 10 && isAsciiLetter(s[end])) end++;
    int length = end - i;
    for (int m = 0; m < MONTHS.length; m++) {
      String name = MONTHS[m];
      if (length != 3 && length != name.length() && !(m == 8 && length == 4)) continue;
      if (length > name.length()) continue;
      boolean same = true;
      for (int k = 0; k < length && same; k++) same = (s[i + k] | 0x20) == name.charAt(k);
      if (same) return m + 1;
    }
    return -1;
  }

  private static int monthEnd(char[] s, int i, int limit) {
    while (i < limit && isAsciiLetter(s[i])) i++;
    return i < limit && s[i] == '.' ? i + 1 : i;
  }

  /** Past a time after an ISO date ({@code T10:30}, {@code  10:30:00.5Z}, {@code T10:30+02:00}). */
  private static int time(char[] s, int end, int limit) {
    if (end + 6 > limit || (s[end] != 'T' && s[end] != ' ')) return end;
    int i = end + 1;
    if (Chars.digitRun(s, i, i + 2) != 2 || s[i + 2] != ':' || Chars.digitRun(s, i + 3, i + 5) != 2) return end;
    i += 5;
    if (i + 3 <= limit && s[i] == ':' && Chars.digitRun(s, i + 1, i + 3) == 2) i += 3;
    if (i < limit && s[i] == '.') i = Chars.digitsEnd(s, i + 1, limit, 9);
    if (i < limit && s[i] == 'Z') {
      i++;
    } else if (i + 6 <= limit && (s[i] == '+' || s[i] == '-') && Chars.digitRun(s, i + 1, i + 3) == 2
        && s[i + 3] == ':' && Chars.digitRun(s, i + 4, i + 6) == 2) {
      i += 6;
    }
    return i;
  }

  /** Whether year-month-day is a calendar day between 1900 and 2099. */
  static boolean day(int year, int month, int day) {
    if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
    int days = switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
    return day <= days;
  }

  /** Whether {@code value} is one date in a form above. */
  public static boolean isValid(String value) {
    char[] c = value.toCharArray();
    return c.length > 0 && new DateDetector().match(c, 0, c.length, (cue, a, b) -> true) == c.length;
  }
}
