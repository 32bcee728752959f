package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.DetectorAssert.found;
import static io.gatehouse.audit.scrub.detect.DetectorAssert.findsWhole;
import static io.gatehouse.audit.scrub.detect.DetectorAssert.refuses;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneDetectorTest {
  private final PhoneDetector phone = new PhoneDetector();

  @Test
  void findsTheCommonNanpForms() {
    findsWhole(phone, "(617) 555-0123", "(617)555-0123", "617-555-0123", "617.555.0123", "617 555 0123",
        "+1 617 555 0123", "+1-617-555-0123", "+1 (617) 555-0123", "+16175550123", "1-800-555-0199",
        "617-555-0123 x42", "(617) 555-0123 ext. 1234");
  }

  @Test
  void refusesAreaCodesAndExchangesNanpNeverAssigns() {
    refuses(phone, true, "(117) 555-0123", "017-555-0123", "911-555-0123", "617-155-0123", "617-011-0123",
        "617-411-0123");
  }

  @Test
  void takesTenBareDigitsOnlyWithAPhoneCue() {
    assertThat(found(phone, "6175550123", 0, false)).isNull();
    assertThat(found(phone, "6175550123", 0, true)).isEqualTo("6175550123");
  }

  @Test
  void refusesMixedGroupingAndLongerNumbers() {
    refuses(phone, true, "617-5550123", "617-555-01234", "617-555-012", "+2 617 555 0123");
  }
}
