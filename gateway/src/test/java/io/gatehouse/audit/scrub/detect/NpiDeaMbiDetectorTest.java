package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.DetectorAssert.found;
import static io.gatehouse.audit.scrub.detect.DetectorAssert.findsWhole;
import static io.gatehouse.audit.scrub.detect.DetectorAssert.refuses;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NpiDeaMbiDetectorTest {
  private final NpiDetector npi = new NpiDetector();
  private final DeaDetector dea = new DeaDetector();
  private final MbiDetector mbi = new MbiDetector();

  @Test
  void findsTheCmsExampleNpiAndOneCompletedByItsCheckDigit() {
    findsWhole(npi, "1234567893");
    String nine = "298765432";
    findsWhole(npi, nine + NpiDetector.checkDigit(nine));
  }

  @Test
  void refusesAnNpiOffByOneOrOfTheWrongShape() {
    refuses(npi, false, "1234567894", "1234567892", "3234567893", "123456789", "12345678931", "1234-567893");
  }

  @Test
  void takesAnNpiShapedNumberNextToATimeCueForATime() {
    char[] text = "1234567893".toCharArray();
    assertThat(npi.match(text, 0, text.length, (cue, s, e) -> cue == Cue.TIME)).isEqualTo(-1);
  }

  @Test
  void findsDeaNumbersWhoseCheckDigitFits() {
    findsWhole(dea, "AB1234563", "FN9876547", "M91234563");
  }

  @Test
  void refusesDeaNumbersWithAWrongCheckDigitOrRegistrantType() {
    refuses(dea, false, "AB1234564", "IB1234563", "ZB1234563", "ab1234563", "AB123456", "AB12345634");
  }

  @Test
  void findsMbisPlainAndDashed() {
    findsWhole(mbi, "1EG4TE5MK73", "1EG4-TE5-MK73", "9AA0AA0AA00");
  }

  @Test
  void refusesMbisBreakingCmsRules() {
    // Leading 0; S, L, O, I, B, Z never appear; a digit where a letter must be; lower case; too short.
    refuses(mbi, false, "0EG4TE5MK73", "1SG4TE5MK73", "1EG4TE5MO73", "11G4TE5MK73", "1eg4te5mk73", "1EG4TE5MK7",
        "1EG4-TE5MK73");
    assertThat(found(mbi, "1EG4TE5MK73X", 0, false)).isNull();
  }
}
