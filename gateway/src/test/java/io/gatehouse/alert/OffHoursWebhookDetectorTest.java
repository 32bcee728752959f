package io.gatehouse.alert;

import static io.gatehouse.alert.Outcomes.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffHoursWebhookDetectorTest {
  private final OffHoursWebhookDetector detector = new OffHoursWebhookDetector();

  private static Instant at(long day, int hour, int minute) {
    return T0.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(minute));
  }

  private static ExchangeOutcome delivery(Instant time) {
    return Outcomes.ok(time, "webhooks", Route.Role.WEBHOOK, "140.82.112.5", null);
  }

  /** Deliveries every 20 minutes from 08:00 to 17:59 UTC on days {@code from} to {@code to} (exclusive). */
  private static List<ExchangeOutcome> officeHours(long from, long to) {
    List<ExchangeOutcome> out = new ArrayList<>();
    for (long d = from; d < to; d++) {
      for (int h = 8; h < 18; h++) {
        for (int m = 0; m < 60; m += 20) out.add(delivery(at(d, h, m)));
      }
    }
    return out;
  }

  @Test
  void alertsOnceAnHourOnDeliveriesInAnHourWithNoTrafficOnTheLastFourteenDays() {
    List<ExchangeOutcome> script = officeHours(0, 8);
    script.add(delivery(at(8, 3, 15))); // alert
    script.add(delivery(at(8, 3, 40))); // the same hour: no second alert
    script.add(delivery(at(8, 22, 5))); // alert
    script.add(delivery(at(9, 3, 10))); // 03:00 had traffic yesterday

    List<Alert> alerts = Outcomes.run(detector, script);

    assertThat(alerts).extracting(Alert::time).containsExactly(at(8, 3, 15), at(8, 22, 5));
    assertThat(alerts.get(0)).satisfies(a -> {
      assertThat(a.type()).isEqualTo(AlertType.OFF_HOURS_WEBHOOK);
      assertThat(a.route()).isEqualTo("webhooks");
      assertThat(a.source()).isEqualTo("140.82.112.5");
      assertThat(a.subject()).isNull();
      assertThat(a.count()).isEqualTo(8L);
      assertThat(a.detail()).contains("03:00-03:59 UTC", "14 days");
    });
  }

  @Test
  void staysSilentUntilTheRouteHasSevenDaysOfHistory() {
    List<ExchangeOutcome> script = officeHours(0, 6);
    script.add(delivery(at(6, 3, 0)));

    assertThat(Outcomes.run(detector, script)).isEmpty();
  }

  @Test
  void staysSilentOnARouteBusyAroundTheClock() {
    List<ExchangeOutcome> script = new ArrayList<>();
    for (long minute = 0; minute < 21 * 24 * 60; minute += 7) script.add(delivery(T0.plusSeconds(minute * 60)));

    assertThat(Outcomes.run(detector, script)).isEmpty();
  }

  @Test
  void neitherLearnsFromNorAlertsOnRefusedRequests() {
    List<ExchangeOutcome> script = officeHours(0, 8);
    // A scanner at 02:00 every night: refused, so not learned...
    for (long d = 0; d < 8; d++) {
      script.add(Outcomes.refused(at(d, 2, 0), "webhooks", Route.Role.WEBHOOK, "192.0.2.66", null,
          Reason.SIGNATURE_MISSING));
    }
    script.add(delivery(at(8, 2, 30))); // ...so a real delivery at 02:30 is still unusual

    List<Alert> alerts = Outcomes.run(detector, script);

    assertThat(alerts).extracting(Alert::time).containsExactly(at(8, 2, 30));
  }

  @Test
  void startsItsHistoryAgainAfterFourteenIdleDays() {
    List<ExchangeOutcome> script = officeHours(0, 8);
    script.addAll(officeHours(30, 33));
    script.add(delivery(at(33, 3, 0))); // only three days of the new history

    assertThat(Outcomes.run(detector, script)).isEmpty();
  }
}
