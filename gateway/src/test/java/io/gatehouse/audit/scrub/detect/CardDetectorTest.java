package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.DetectorAssert.found;
import static io.gatehouse.audit.scrub.detect.DetectorAssert.findsWhole;
import static io.gatehouse.audit.scrub.detect.DetectorAssert.refuses;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CardDetectorTest {
  private final CardDetector card = new CardDetector();

  @Test
  void findsLuhnValidNumbersOfEachIssuerBareOrGrouped() {
    findsWhole(card, "4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005",
        "3782 822463 10005", "5555555555554444", "2223003122003222", "6011111111111117", "3566002020360505",
        "30569309025904", "6200000000000005", "4222222222222");
  }

  @Test
  void refusesALuhnCheckOffByOne() {
    refuses(card, true, "4111111111111112", "4111 1111 1111 1110", "378282246310006", "5555555555554445");
  }

  @Test
  void refusesLuhnValidNumbersWithoutACardIssuerOrLength() {
    // 7992739871 3 is Luhn's textbook number; an IMEI (35..., 15 digits); a 12-digit account; 1... and 8....
    refuses(card, true, "79927398713", "356938035643809", "123456789015", "1000000000000008", "8000000000000001",
        "37828224631000", "311111111111116");
  }

  @Test
  void refusesMixedSeparatorsButFindsACardBeforeMoreDigits() {
    refuses(card, true, "4111-1111 1111-1111");
    assertThat(found(card, "4111 1111 1111 1111 2024", 0, false)).isEqualTo("4111 1111 1111 1111");
  }
}
