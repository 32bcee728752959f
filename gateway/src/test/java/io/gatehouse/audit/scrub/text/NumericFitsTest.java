package io.gatehouse.audit.scrub.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.scrub.detect.Chars;
import io.gatehouse.audit.scrub.detect.Cues;
import io.gatehouse.audit.scrub.detect.Detector;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TextScanner#numericFits} only skips a detector that could not have matched: on random runs of digits and
 * separators, every match any numeric detector finds at the start of a number (with every cue present, and with
 * none) is one the gate lets through.
 */
class NumericFitsTest {
  private static final String SEPARATORS = "  --../()+,:xT";
  private static final Cues ALL = (cue, start, end) -> true;

  @Test
  void neverSkipsADetectorThatWouldMatch() {
    List<Detector> detectors = TextScanner.numericDetectors();
    Random random = new Random(11);
    int[] matches = new int[detectors.size()];
    for (int round = 0; round < 200_000; round++) {
      StringBuilder text = new StringBuilder();
      int pieces = 1 + random.nextInt(6);
      char usual = SEPARATORS.charAt(random.nextInt(SEPARATORS.length()));
      for (int p = 0; p < pieces; p++) {
        int run = 1 + random.nextInt(random.nextBoolean() ? 3 : 20);
        for (int d = 0; d < run; d++) text.append((char) ('0' + random.nextInt(d == 0 && random.nextBoolean() ? 3 : 10)));
        text.append(random.nextInt(4) > 0 ? usual : SEPARATORS.charAt(random.nextInt(SEPARATORS.length())));
      }
      char[] s = text.toString().toCharArray();
      for (int i = 0; i < s.length; i++) {
        if (!Chars.isDigit(s[i]) || i > 0 && Chars.isWordChar(s[i - 1])) continue;
        int e = i;
        while (e < s.length && Chars.isDigit(s[e])) e++;
        if (e < s.length && Chars.isWordChar(s[e])) continue;
        int fits = TextScanner.numericFits(s, e, e - i, s.length);
        for (int k = 0; k < detectors.size(); k++) {
          Detector detector = detectors.get(k);
          boolean match = detector.match(s, i, s.length, ALL) > 0 || detector.match(s, i, s.length, Cues.NONE) > 0;
          if (match) {
            matches[k]++;
            assertThat(fits & 1 << k).as("%s at %d of \"%s\"", detector.type(), i, new String(s)).isNotZero();
          }
        }
      }
    }
    for (int k = 0; k < matches.length; k++) {
      assertThat(matches[k]).as("matches of %s seen", detectors.get(k).type()).isGreaterThan(50);
    }
  }
}
