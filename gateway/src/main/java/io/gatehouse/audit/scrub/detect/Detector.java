package io.gatehouse.audit.scrub.detect;

import io.gatehouse.audit.scrub.PhiType;

/**
 * Finds one identifier of a format that starts at a given position. Every detector is a hand-written scanner that
 * reads a bounded number of characters (at most a few dozen) from where it is asked, so scanning a text costs time
 * linear in its length whatever it holds; a backtracking regular expression cannot promise that (an input built to
 * make it backtrack turns a log call into a denial of service). Stateless and shared.
 */
public interface Detector {
  PhiType type();

  /**
   * The end (exclusive) of the identifier starting at {@code start}, or -1. The caller has checked that
   * {@code start} begins a token (the character before it, if any, is no letter or digit); the detector checks that
   * the identifier is not followed by one, and reads nothing at or past {@code limit}.
   */
  int match(char[] text, int start, int limit, Cues cues);

  /** Whether all of {@code value} is one identifier of this format, with every cue present. */
  default boolean matchesWhole(String value) {
    char[] chars = value.toCharArray();
    return chars.length > 0 && match(chars, 0, chars.length, (cue, s, e) -> cue != Cue.TIME) == chars.length;
  }
}
