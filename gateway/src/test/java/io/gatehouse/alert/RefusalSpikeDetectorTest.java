package io.gatehouse.alert;

import static io.gatehouse.alert.Outcomes.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalSpikeDetectorTest {
  private static final long MINUTE = 60_000;

  /** {@code perMinute} refusals on {@code route}, evenly spread over the minute starting {@code minute} after T0. */
  private static void refusals(List<ExchangeOutcome> into, String route, long minute, int perMinute) {
    for (int i = 0; i < perMinute; i++) {
      Instant t = T0.plusMillis(minute * MINUTE + i * (MINUTE / perMinute));
      into.add(Outcomes.refused(t, route, Route.Role.WEBHOOK, "203.0.113." + (i % 200), null,
          Reason.SIGNATURE_MISSING));
    }
  }

  @Test
  void firesWhenAMinuteReachesFiveTimesTheRoutesBaseline() {
    List<ExchangeOutcome> script = new ArrayList<>();
    for (long m = 0; m < 15; m++) refusals(script, "webhooks", m, 100);
    refusals(script, "webhooks", 15, 800);

    List<Alert> alerts = Outcomes.run(new RefusalSpikeDetector(T0), script);

    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo(AlertType.REFUSAL_SPIKE);
      assertThat(a.route()).isEqualTo("webhooks");
      assertThat(a.count()).isEqualTo(500L);
      assertThat(a.threshold()).isEqualTo(500L);
      assertThat(a.time()).isEqualTo(T0.plusMillis(15 * MINUTE + 499 * (MINUTE / 800)));
      assertThat(a.source()).isNull();
      assertThat(a.detail()).contains("500 refusals", "baseline 100.0", "15 min", "signature_missing");
    });
  }

  @Test
  void needsTwentyRefusalsOnARouteThatRefusedNothingBefore() {
    List<ExchangeOutcome> nineteen = new ArrayList<>();
    refusals(nineteen, "editor", 12, 19);
    List<ExchangeOutcome> twenty = new ArrayList<>();
    refusals(twenty, "editor", 12, 20);

    assertThat(Outcomes.run(new RefusalSpikeDetector(T0), nineteen)).isEmpty();
    assertThat(Outcomes.run(new RefusalSpikeDetector(T0), twenty)).singleElement()
        .satisfies(a -> assertThat(a.threshold()).isEqualTo(20L));
  }

  @Test
  void staysSilentUntilTheDetectorHasWatchedForTenMinutes() {
    List<ExchangeOutcome> script = new ArrayList<>();
    refusals(script, "editor", 9, 5000);

    assertThat(Outcomes.run(new RefusalSpikeDetector(T0), script)).isEmpty();
  }

  @Test
  void staysQuietForTenMinutesPerRouteAndCountsUnroutedRefusalsTogether() {
    List<ExchangeOutcome> script = new ArrayList<>();
    refusals(script, "editor", 11, 50); // alerts: baseline 0
    refusals(script, null, 11, 30); // alerts too: another "route"
    refusals(script, "editor", 12, 1000); // would alert, but the route is quiet
    refusals(script, "editor", 22, 1000); // quiet is over: baseline 1050 / 22 min, threshold 239

    List<Alert> alerts = Outcomes.run(new RefusalSpikeDetector(T0), script);

    assertThat(alerts).extracting(Alert::route, Alert::threshold).containsExactly(
        org.assertj.core.groups.Tuple.tuple("editor", 20L), org.assertj.core.groups.Tuple.tuple(null, 20L),
        org.assertj.core.groups.Tuple.tuple("editor", 239L));
  }

  @Test
  void staysSilentOnThirtyMinutesOfTwoHundredRequestsASecondWithOnePercentRefused() {
    List<ExchangeOutcome> script = new ArrayList<>();
    long step = 5; // ms: 200 a second
    for (long t = 0; t < 30 * MINUTE; t += step) {
      boolean refused = (t / step) % 100 == 37;
      script.add(refused
          ? Outcomes.refused(T0.plusMillis(t), "editor", Route.Role.EDITOR, "10.1.2.3", null, Reason.UNAUTHENTICATED)
          : Outcomes.ok(T0.plusMillis(t), "editor", Route.Role.EDITOR, "10.1.2.3", "alice"));
    }

    assertThat(Outcomes.run(new RefusalSpikeDetector(T0), script)).isEmpty();
  }

  @Test
  void countsALateArrivalInItsOwnMinute() {
    List<ExchangeOutcome> script = new ArrayList<>();
    // A long request of minute 10 finishes during minute 12: it belongs to minute 10, not to minute 12's 19.
    refusals(script, "api", 12, 19);
    script.add(Outcomes.refused(T0.plusMillis(10 * MINUTE + 5), "api", Route.Role.API, "10.0.0.1", null,
        Reason.FORBIDDEN));

    assertThat(Outcomes.run(new RefusalSpikeDetector(T0), script)).isEmpty();
  }
}
