package io.gatehouse.audit.scrub.detect;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a detector over a text the way the text scanner does, from one token start. */
final class DetectorAssert {
  private DetectorAssert() {}

  /** What the detector finds at {@code start} of {@code text} with or without every cue. */
  static String found(Detector detector, String text, int start, boolean cues) {
    char[] chars = text.toCharArray();
    int end = detector.match(chars, start, chars.length, (cue, s, e) -> cues && cue != Cue.TIME);
    return end < 0 ? null : text.substring(start, end);
  }

  static void findsWhole(Detector detector, String... values) {
    for (String value : values) {
      assertThat(found(detector, value, 0, false)).as(value).isEqualTo(value);
    }
  }

  static void refuses(Detector detector, boolean cues, String... values) {
    for (String value : values) {
      assertThat(found(detector, value, 0, cues)).as(value).isNull();
    }
  }
}
