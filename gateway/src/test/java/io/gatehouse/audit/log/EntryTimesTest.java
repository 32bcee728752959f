package io.gatehouse.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntryTimesTest {
  private static final DateTimeFormatter REFERENCE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void formatsLikeTheReferenceFormatterAcrossSecondsInAnyOrder() {
    EntryTimes times = new EntryTimes();
    Random random = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(5_000));
      assertThat(times.format(t)).isEqualTo(REFERENCE.format(t));
    }
    assertThat(times.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
  }
}
