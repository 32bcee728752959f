package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.DetectorAssert.found;
import static io.gatehouse.audit.scrub.detect.DetectorAssert.findsWhole;
import static io.gatehouse.audit.scrub.detect.DetectorAssert.refuses;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SsnDetectorTest {
  private final SsnDetector ssn = new SsnDetector();

  @Test
  void findsDashedAndSpacedNumbersWithoutAnyCue() {
    findsWhole(ssn, "123-45-6789", "123 45 6789", "899-99-9999", "001-01-0001");
  }

  @Test
  void refusesAreasGroupsAndSerialsTheSsaNeverIssues() {
    refuses(ssn, true, "000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567", "123-45-0000",
        "000123456", "666123456");
  }

  @Test
  void takesNineBareDigitsOnlyWithAnSsnCue() {
    assertThat(found(ssn, "123456789", 0, false)).isNull();
    assertThat(found(ssn, "123456789", 0, true)).isEqualTo("123456789");
  }

  @Test
  void refusesMixedSeparatorsAndLongerNumbers() {
    refuses(ssn, true, "123-45 6789", "123-45-67890", "1234-56-789", "123-456-789", "1234567890", "123-45-6789a");
  }

  @Test
  void validatesValuesGeneratedElsewhere() {
    assertThat(SsnDetector.isValid("078-05-1120")).isTrue();
    assertThat(SsnDetector.isValid("000-00-0000")).isFalse();
    assertThat(SsnDetector.isValid("12-345-6789")).isTrue();
    assertThat(SsnDetector.isValid("12345678")).isFalse();
  }
}
