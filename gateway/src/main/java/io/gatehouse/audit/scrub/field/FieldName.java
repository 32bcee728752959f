package io.gatehouse.audit.scrub.field;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A field name reduced to what matching needs, so {@code dateOfBirth}, {@code date_of_birth}, {@code DATE-OF-BIRTH}
 * and {@code Date of birth} compare equal: its path segments (split at {@code . [ ] /}, for flattened keys such as
 * {@code patient.dob} or {@code patient[dob]}), and for each segment its letters and digits in lower case
 * ({@code joined}) and its words (split at separators, at lower-to-upper and at letter-digit changes).
 */
record FieldName(List<String> segments, String joined, List<String> words) {

  static FieldName of(String raw) {
    List<String> segments = new ArrayList<>(2);
    int start = 0;
    for (int i = 0; i <= raw.length(); i++) {
      if (i == raw.length() || isPathSeparator(raw.charAt(i))) {
        String joined = joined(raw, start, i);
        if (!joined.isEmpty()) segments.add(joined);
        start = i + 1;
      }
    }
    int last = lastSegmentStart(raw);
    String joined = segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    return new FieldName(List.copyOf(segments), joined, words(raw, last, raw.length()));
  }

  /** The normalised form of one segment: letters and digits, lower case. */
  static String joined(String raw, int from, int to) {
    StringBuilder out = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      char c = raw.charAt(i);
      if (Character.isLetterOrDigit(c)) out.append(Character.toLowerCase(c));
    }
    return out.toString();
  }

  private static boolean isPathSeparator(char c) {
    return c == '.' || c == '[' || c == ']' || c == '/';
  }

  private static int lastSegmentStart(String raw) {
    int end = raw.length();
    while (end > 0 && isPathSeparator(raw.charAt(end - 1))) end--;
    int i = end;
    while (i > 0 && !isPathSeparator(raw.charAt(i - 1))) i--;
    return i;
  }

  private static List<String> words(String raw, int from, int to) {
    int end = to;
    while (end > from && isPathSeparator(raw.charAt(end - 1))) end--;
    List<String> words = new ArrayList<>(4);
    int start = -1;
    for (int i = from; i <= end; i++) {
      char c = i < end ? raw.charAt(i) : ' ';
      boolean word = Character.isLetterOrDigit(c);
      if (start >= 0 && (!word || boundary(raw, i, end))) {
        words.add(raw.substring(start, i).toLowerCase(Locale.ROOT));
        start = -1;
      }
      if (word && start < 0) start = i;
    }
    return List.copyOf(words);
  }

  /** A new word starts at {@code i}: fooBar, foo2, 2foo, and the last capital of an acronym (HTTPServer). */
  private static boolean boundary(String raw, int i, int end) {
    char prev = raw.charAt(i - 1);
    char c = raw.charAt(i);
    if (!Character.isLetterOrDigit(prev)) return false;
    if (Character.isLowerCase(prev) && Character.isUpperCase(c)) return true;
    if (Character.isDigit(prev) != Character.isDigit(c)) return true;
    return Character.isUpperCase(prev) && Character.isUpperCase(c) && i + 1 < end
        && Character.isLowerCase(raw.charAt(i + 1));
  }
}
