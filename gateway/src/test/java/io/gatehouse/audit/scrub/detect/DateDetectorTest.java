package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.DetectorAssert.found;
import static io.gatehouse.audit.scrub.detect.DetectorAssert.refuses;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DateDetectorTest {
  private final DateDetector date = new DateDetector();

  @Test
  void findsEveryWrittenFormNextToAPersonDateCue() {
    for (String value : new String[] {"1985-03-02", "1985/03/02", "1985-03-02T10:30:00Z", "03/02/1985", "3/2/85",
        "03-02-1985", "02.03.1985", "19850302", "March 2, 1985", "Mar. 2 1985", "Sept 2, 1985", "2 March 1985",
        "02-Mar-1985", "March 2nd, 1985", "2000-02-29"}) {
      assertThat(found(date, value, 0, true)).as(value).isEqualTo(value);
    }
  }

  @Test
  void ignoresDatesWithoutACueSinceMostDatesIdentifyNoOne() {
    refuses(date, false, "1985-03-02", "March 2, 1985", "03/02/1985");
  }

  @Test
  void refusesDaysNotOnTheCalendar() {
    refuses(date, true, "1985-02-30", "1900-02-29", "13/13/1985", "1985-13-01", "00/10/1985", "1800-01-01",
        "March 32, 1985", "Marc 2, 1985");
  }
}
