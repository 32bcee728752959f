package io.gatehouse.alert;

import static io.gatehouse.alert.Outcomes.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AnomalyDetectorsTest {
  private final RecordingAlertEvents events = new RecordingAlertEvents();
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();

  @Test
  void raisesAlertsFromItsOwnThreadAndFinishesTheQueueOnClose() {
    List<String> threads = new CopyOnWriteArrayList<>();
    Consumer<Alert> raise = alert -> {
      threads.add(Thread.currentThread().getName());
      alerts.add(alert);
    };
    AnomalyDetectors detectors = AnomalyDetectors.start(Clock.fixed(T0, ZoneOffset.UTC), raise, events);
    for (int i = 0; i < 20; i++) detectors.completed(Outcomes.badCredential(T0.plusSeconds(i), "api", "203.0.113.7"));
    detectors.close();
    detectors.completed(Outcomes.badCredential(T0.plusSeconds(30), "api", "203.0.113.8")); // after close: ignored

    assertThat(alerts).extracting(Alert::type).containsExactly(AlertType.AUTH_FAILURES_SOURCE);
    assertThat(threads).containsExactly("gatehouse-anomaly-detectors");
    assertThat(events.outcomesDropped).hasValue(0);
  }

  @Test
  void dropsAndCountsOutcomesWhileItsQueueIsFull() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger seen = new AtomicInteger();
    AnomalyDetector slow = new AnomalyDetector() {
      @Override public boolean watches(ExchangeOutcome outcome) {
        return true;
      }

      @Override public void observe(ExchangeOutcome outcome, Consumer<Alert> raise) {
        seen.incrementAndGet();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    AnomalyDetectors detectors = AnomalyDetectors.start(List.of(slow), alerts::add, events, 4);
    ExchangeOutcome outcome = Outcomes.ok(T0, "api", Route.Role.API, "10.0.0.1", null);
    detectors.completed(outcome);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (seen.get() == 0 && System.nanoTime() < deadline) Thread.sleep(1); // the thread holds the first

    for (int i = 0; i < 10; i++) detectors.completed(outcome);
    release.countDown();
    detectors.close();

    assertThat(events.outcomesDropped).hasValue(6);
    assertThat(seen).hasValue(5);
  }

  @Test
  void queuesOnlyWhatSomeDetectorWatches() {
    AtomicInteger seen = new AtomicInteger();
    AnomalyDetector picky = new AnomalyDetector() {
      @Override public boolean watches(ExchangeOutcome outcome) {
        return outcome.status() == 401;
      }

      @Override public void observe(ExchangeOutcome outcome, Consumer<Alert> raise) {
        seen.incrementAndGet();
      }
    };
    AnomalyDetectors detectors = AnomalyDetectors.start(List.of(picky), alerts::add, events, 1);
    for (int i = 0; i < 100; i++) detectors.completed(Outcomes.ok(T0, "api", Route.Role.API, "10.0.0.1", null));
    detectors.close();

    assertThat(seen).hasValue(0);
    assertThat(events.outcomesDropped).hasValue(0);
  }

  @Test
  void keepsGoingWhenADetectorThrows() {
    AnomalyDetector broken = new AnomalyDetector() {
      @Override public boolean watches(ExchangeOutcome outcome) {
        return true;
      }

      @Override public void observe(ExchangeOutcome outcome, Consumer<Alert> raise) {
        throw new IllegalStateException("a bug");
      }
    };
    List<AnomalyDetector> list = new ArrayList<>(List.of(broken));
    list.add(new AuthFailuresSourceDetector());
    AnomalyDetectors detectors = AnomalyDetectors.start(list, alerts::add, events, 1024);
    for (int i = 0; i < 20; i++) detectors.completed(Outcomes.badCredential(T0.plusSeconds(i), "api", "203.0.113.7"));
    detectors.close();

    assertThat(alerts).hasSize(1);
  }

  /**
   * Thirty minutes of 200 requests a second: people in the editor from their usual networks, API clients, a webhook
   * route, 1% refused (expired sessions, rate limits, a sender with a missing signature), and a failed login every
   * couple of minutes from one address or another. Nothing of it is an anomaly.
   */
  @Test
  void allFiveStaySilentOnThirtyMinutesOfSteadyMixedTraffic() {
    List<ExchangeOutcome> script = new ArrayList<>();
    Reason[] usualRefusals = {Reason.UNAUTHENTICATED, Reason.RATE_LIMITED, Reason.SIGNATURE_MISSING, Reason.FORBIDDEN};
    long n = 0;
    for (long ms = 0; ms < Duration.ofMinutes(30).toMillis(); ms += 5, n++) {
      Instant t = T0.plusMillis(ms);
      int person = (int) (n % 40);
      String office = "10.20." + person + "." + (1 + n % 7);
      if (n % 100 == 13) {
        Reason reason = usualRefusals[(int) (n / 100 % usualRefusals.length)];
        String subject = reason == Reason.FORBIDDEN ? "user" + (n / 100 % 400) : null;
        script.add(Outcomes.refused(t, "editor", Route.Role.EDITOR, office, subject, reason));
      } else if (n % 24_000 == 7) {
        script.add(Outcomes.badCredential(t, "public-api", "198.51.100." + (n / 24_000 % 3)));
      } else if (n % 3 == 0) {
        script.add(Outcomes.ok(t, "editor", Route.Role.EDITOR, office, "user" + person));
      } else if (n % 3 == 1) {
        script.add(Outcomes.ok(t, "public-api", Route.Role.API, "10.30.0." + (n % 5), "svc-" + (n % 5)));
      } else {
        script.add(Outcomes.ok(t, "webhooks", Route.Role.WEBHOOK, "140.82.112." + (n % 9), null));
      }
    }

    assertThat(script).hasSize(360_000);
    assertThat(Outcomes.run(AnomalyDetectors.standard(T0), script)).isEmpty();
  }

  /** The benchmark's shape: constant load from a few loopback addresses, every answer 200, for half an hour. */
  @Test
  void allFiveStaySilentOnABenchmarksConstantLoadFromLoopback() {
    List<ExchangeOutcome> script = new ArrayList<>();
    String[] routes = {"bench", "guarded", "hook-signed", "hook-unsigned"};
    Route.Role[] roles = {Route.Role.OTHER, Route.Role.API, Route.Role.WEBHOOK, Route.Role.WEBHOOK};
    for (long ms = 0, n = 0; ms < Duration.ofMinutes(30).toMillis(); ms += 2, n++) {
      int r = (int) (n % routes.length);
      script.add(Outcomes.ok(T0.plusMillis(ms), routes[r], roles[r], "127.0.0." + (1 + n % 3), null));
    }

    assertThat(Outcomes.run(AnomalyDetectors.standard(T0), script)).isEmpty();
  }

  /** A fortnight of a webhook route busy around the clock and an editor used every day: still nothing. */
  @Test
  void allFiveStaySilentOnTwoWeeksOfRoundTheClockWebhooksAndDailyEditing() {
    List<ExchangeOutcome> script = new ArrayList<>();
    for (long minute = 0; minute < Duration.ofDays(15).toMinutes(); minute += 3) {
      Instant t = T0.plus(Duration.ofMinutes(minute));
      script.add(Outcomes.ok(t, "webhooks", Route.Role.WEBHOOK, "140.82.112." + (minute % 9), null));
      if (minute % (24 * 60) < 8 * 60) {
        script.add(Outcomes.ok(t, "editor", Route.Role.EDITOR, "10.20.1." + (minute % 200), "user" + (minute % 7)));
      }
    }

    assertThat(Outcomes.run(AnomalyDetectors.standard(T0), script)).isEmpty();
  }
}
