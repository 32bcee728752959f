package io.gatehouse.audit.scrub.detect;

/** The cues a detector can ask about around a candidate: the field it sits in and the words around it. */
public interface Cues {
  /** No cue anywhere: what a detector sees when it is used as a plain validator. */
  Cues NONE = (cue, start, end) -> false;

  /** Whether {@code cue} applies to a candidate at [{@code start}, {@code end}) of the text being scanned. */
  boolean near(Cue cue, int start, int end);
}
