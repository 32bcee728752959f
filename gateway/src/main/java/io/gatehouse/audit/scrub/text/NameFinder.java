package io.gatehouse.audit.scrub.text;

import static io.gatehouse.audit.scrub.detect.Chars.isAsciiLetter;
import static io.gatehouse.audit.scrub.detect.Chars.isUpper;

import io.gatehouse.audit.scrub.detect.Cue;

/**
 * People's names in free text, by context and by the shipped lists ({@link NameLists}):
 * <ul>
 *   <li>after a title ("Mr.", "Dr"), the capitalised words that follow, whatever they are;
 *   <li>after a name cue ("patient", "name:", "Dear"), a capitalised word from the lists and those after it;
 *   <li>anywhere, a listed first name followed by capitalised words ("Maria Kshlerin"); when the first name is also
 *       an English word ("Grace"), the next word must be a listed surname that is not;
 *   <li>"Surname, First" with the first name listed, and "JOHN SMITH" in capitals with both listed.
 * </ul>
 * A name is at most four words; words that never belong to one ("Hospital", "Monday", "The") end it.
 */
final class NameFinder {
  private static final int MAX_WORDS = 4;

  private final NameLists names;

  NameFinder(NameLists names) {
    this.names = names;
  }

  /** The end of a name whose first word is [start, wordEnd) with that {@link WordTable#key}, or -1. */
  int match(char[] s, int start, int wordEnd, long key, int limit, ScanState state) {
    boolean caps = allCaps(s, start, wordEnd);
    if (!caps && !capitalised(s, start, wordEnd)) return -1;
    int flags = names.flags(s, start, wordEnd, key);
    boolean title = state.before(Cue.TITLE, start, 3);
    boolean cued = state.before(Cue.NAME, start, 4) || state.hinted(Cue.NAME);
    int end = nameWordEnd(s, start, wordEnd, limit);
    boolean first = (flags & NameLists.FIRST) != 0;
    boolean last = (flags & NameLists.LAST) != 0;
    if (!first && !(title && !caps) && !(cued && last)) {
      // Every rule below but "Surname, First" needs one of these, so the words after this one do not matter
      // (most capitalised words of a text end here: "Total", "Follow", "INV").
      return caps ? -1 : surnameCommaFirst(s, end, limit);
    }
    int words = 1;
    int secondFlags = 0;
    int i = end;
    while (words < MAX_WORDS) {
      int next = followingWord(s, i, limit);
      if (next < 0) break;
      int nextEnd = wordEnd(s, next, limit);
      boolean initial = nextEnd - next == 1;
      if (caps ? !allCaps(s, next, nextEnd) || initial : !(initial || capitalised(s, next, nextEnd))) break;
      if ((CueWords.of(s, next, nextEnd) & CueWords.NOT_NAME) != 0) break;
      if (words == 1) secondFlags = initial ? -1 : names.flags(s, next, nextEnd);
      i = initial && nextEnd < limit && s[nextEnd] == '.' ? nextEnd + 1 : nameWordEnd(s, next, nextEnd, limit);
      words++;
    }
    boolean word = (flags & NameLists.WORD) != 0;
    if (words > 1 && secondFlags == -1 && i > 0 && s[i - 1] == '.') {
      // "John Q." without a surname after the initial is not enough to go on.
      if (words == 2) words = 1;
    }
    if (title && !caps) return words > 1 ? i : end;
    if (cued && (first || last) && (!word || words > 1)) return words > 1 ? i : end;
    // "Hi Grace," : a greeting and the comma after it make even a first name that is a word one.
    if (cued && first && words == 1 && end < limit && s[end] == ',') return end;
    if (words > 1) {
      boolean secondSurname = secondFlags > 0 && (secondFlags & NameLists.LAST) != 0
          && (secondFlags & NameLists.WORD) == 0;
      if (caps) return first && !word && secondSurname ? i : -1;
      if (first && !word) return i;
      if (first && (secondSurname || secondFlags == -1)) return i;
    }
    // "Kshlerin, Maria": the listed first name after the comma is the evidence, the surname may be any.
    if (!caps && words == 1) return surnameCommaFirst(s, end, limit);
    return -1;
  }

  /** "Smith, John": the end of the first name after the comma, or -1. */
  private int surnameCommaFirst(char[] s, int end, int limit) {
    if (end + 2 >= limit || s[end] != ',' || s[end + 1] != ' ') return -1;
    int next = end + 2;
    int nextEnd = wordEnd(s, next, limit);
    if (!capitalised(s, next, nextEnd)) return -1;
    int flags = names.flags(s, next, nextEnd);
    if ((flags & NameLists.FIRST) == 0 || (flags & NameLists.WORD) != 0) return -1;
    return nameWordEnd(s, next, nextEnd, limit);
  }

  /** Start of the next word after one space (or ". " after an initial), or -1. */
  private static int followingWord(char[] s, int i, int limit) {
    if (i + 1 >= limit || s[i] != ' ' || !isUpper(s[i + 1])) return -1;
    return i + 1;
  }

  private static int wordEnd(char[] s, int i, int limit) {
    int j = i;
    while (j < limit && isAsciiLetter(s[j])) j++;
    return j;
  }

  /** Past "O'Brien" and "Smith-Jones", but not the "'s" of a possessive. */
  private static int nameWordEnd(char[] s, int start, int letters, int limit) {
    int j = letters;
    while (j + 1 < limit && (s[j] == '\'' || s[j] == '-') && isUpper(s[j + 1])
        || j + 2 < limit && s[j] == '\'' && isAsciiLetter(s[j + 1]) && s[j + 1] != 's' && isAsciiLetter(s[j + 2])) {
      j = wordEnd(s, j + 1, limit);
    }
    return j;
  }

  private static boolean capitalised(char[] s, int start, int end) {
    if (end - start < 2 || !isUpper(s[start])) return false;
    for (int i = start + 1; i < end; i++) {
      if (isUpper(s[i]) && i < end - 1 && !isUpper(s[i - 1])) continue; // McDonald, DeShawn
      if (isUpper(s[i])) return false;
    }
    return true;
  }

  private static boolean allCaps(char[] s, int start, int end) {
    if (end - start < 2) return false;
    for (int i = start; i < end; i++) {
      if (!isUpper(s[i])) return false;
    }
    return true;
  }
}
