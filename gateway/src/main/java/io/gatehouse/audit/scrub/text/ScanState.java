package io.gatehouse.audit.scrub.text;

import io.gatehouse.audit.scrub.detect.Chars;
import io.gatehouse.audit.scrub.detect.Cue;
import io.gatehouse.audit.scrub.detect.Cues;
import java.util.Arrays;

/**
 * The cues seen so far in the text being scanned, answering {@link Cues} for the detectors: a cue counts when its
 * field gives it, when its word ended shortly before the candidate, or when it is one of the few words right after
 * it ("03/02/1985 (DOB)"). One per body being scrubbed, reused for each of its texts; not thread-safe.
 */
public final class ScanState implements Cues {
  /** How far after a candidate a cue word may start, and how many words are read there. */
  private static final int AFTER = 24;
  private static final int AFTER_WORDS = 3;

  private static final int CUES = Cue.values().length;
  private static final int ALL_CUES = (1 << CUES) - 1;

  private final int[] lastEnd = new int[CUES];
  /** URLs and e-mail addresses, found before the rest of the text is read (TextScanner). */
  final Spans reserved = new Spans();
  private char[] text;
  private int to;
  private int hints;
  int previousWordFlags;
  int previousWordEnd;

  void reset(char[] text, int from, int to, int hints) {
    this.text = text;
    this.to = to;
    this.hints = hints;
    Arrays.fill(lastEnd, -1);
    previousWordFlags = 0;
    previousWordEnd = -1;
  }

  /** Records the word at [start, end) with its {@link CueWords} flags. */
  void word(int start, int end, int flags) {
    int cues = flags & 0xffff;
    boolean adjacent = previousWordEnd >= 0 && start - previousWordEnd <= 2;
    if (adjacent) {
      if ((flags & CueWords.SUFFIX_RECORD) != 0 && (previousWordFlags & CueWords.PREFIX_MEDICAL) != 0) {
        cues |= Cue.MRN.bit();
      }
      if ((flags & CueWords.SUFFIX_SECURITY) != 0 && (previousWordFlags & CueWords.PREFIX_SOCIAL) != 0) {
        cues |= Cue.SSN.bit();
      }
      if ((flags & CueWords.SUFFIX_ID) != 0 && (previousWordFlags & CueWords.PREFIX_PATIENT) != 0) {
        cues |= Cue.MRN.bit();
      }
    }
    int cueEnd = end;
    // "Dr." and "MRN:" end at their punctuation, so the window counts from there.
    while (cueEnd < to && cueEnd - end < 2 && (text[cueEnd] == '.' || text[cueEnd] == ':' || text[cueEnd] == '#')) {
      cueEnd++;
    }
    // A cue's bit is 1 << its ordinal: one store per cue the word gives, without a Cue[] per word.
    for (int bits = cues & ALL_CUES; bits != 0; bits &= bits - 1) lastEnd[Integer.numberOfTrailingZeros(bits)] = cueEnd;
    previousWordFlags = flags;
    previousWordEnd = end;
  }

  /** Whether {@code cue} was seen ending at most {@code window} characters before {@code start}. */
  boolean before(Cue cue, int start, int window) {
    int last = lastEnd[cue.ordinal()];
    return last >= 0 && start >= last && start - last <= window;
  }

  /** How far before a candidate its cue may end: "Date of birth (MM/DD/YYYY): 03/02/1985" fits. */
  private static int window(Cue cue) {
    switch (cue) {
      case PERSON_DATE:
        return 40;
      case NAME:
        return 4;
      case TITLE:
        return 3;
      default:
        return 24;
    }
  }

  /** Uses up a cue, so it applies to the one value after it ("MRN: 123456; order 123456"). */
  void consume(Cue cue) {
    lastEnd[cue.ordinal()] = -1;
  }

  boolean hinted(Cue cue) {
    return (hints & cue.bit()) != 0;
  }

  @Override
  public boolean near(Cue cue, int start, int end) {
    if (hinted(cue) || before(cue, start, window(cue))) return true;
    return cue != Cue.NAME && cue != Cue.TITLE && after(cue, end);
  }

  private boolean after(Cue cue, int end) {
    int limit = Math.min(to, end + AFTER);
    int words = 0;
    int i = end;
    while (i < limit && words < AFTER_WORDS) {
      if (!Chars.isWordChar(text[i])) {
        i++;
        continue;
      }
      int start = i;
      while (i < to && Chars.isWordChar(text[i])) i++;
      words++;
      if (CueWords.isCue(cue, text, start, i)) return true;
    }
    return false;
  }
}
