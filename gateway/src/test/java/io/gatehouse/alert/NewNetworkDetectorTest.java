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

class NewNetworkDetectorTest {
  private final NewNetworkDetector detector = new NewNetworkDetector();

  private static ExchangeOutcome editor(Instant time, String subject, String client) {
    return Outcomes.ok(time, "editor", Route.Role.EDITOR, client, subject);
  }

  private static Instant day(long n) {
    return T0.plus(Duration.ofDays(n)).plusSeconds(9 * 3600);
  }

  @Test
  void takesTheFirstNetworkAsBaselineAndAlertsOnceOnANewOne() {
    List<ExchangeOutcome> script = List.of(
        editor(day(0), "alice", "10.1.2.3"),
        editor(day(0).plusSeconds(5), "alice", "10.1.2.99"), // same /24
        editor(day(1), "alice", "198.51.100.7"),
        editor(day(1).plusSeconds(5), "alice", "198.51.100.8"),
        editor(day(2), "alice", "10.1.2.3"));

    List<Alert> alerts = Outcomes.run(detector, script);

    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo(AlertType.NEW_NETWORK);
      assertThat(a.time()).isEqualTo(day(1));
      assertThat(a.route()).isEqualTo("editor");
      assertThat(a.subject()).isEqualTo("alice");
      assertThat(a.source()).isEqualTo("198.51.100.0/24");
      assertThat(a.count()).isEqualTo(1L);
      assertThat(a.threshold()).isNull();
      assertThat(a.detail()).contains("198.51.100.0/24", "known: 10.1.2.0/24");
    });
  }

  @Test
  void groupsIpv6BySlash48AndKeepsSubjectsApart() {
    List<ExchangeOutcome> script = List.of(
        editor(day(0), "alice", "2001:db8:1:aaaa::1"),
        editor(day(0), "bob", "2001:db8:2::1"),
        editor(day(1), "alice", "2001:db8:1:bbbb::2"), // same /48
        editor(day(1), "alice", "2001:db8:2::7")); // bob's, but new for alice

    assertThat(Outcomes.run(detector, script)).singleElement().satisfies(a -> {
      assertThat(a.subject()).isEqualTo("alice");
      assertThat(a.source()).isEqualTo("2001:db8:2::/48");
    });
  }

  @Test
  void alertsAgainOnANetworkNotSeenForThirtyDays() {
    List<ExchangeOutcome> script = List.of(
        editor(day(0), "alice", "10.1.2.3"),
        editor(day(1), "alice", "192.0.2.1"), // alert 1
        editor(day(29), "alice", "192.0.2.1"),
        editor(day(40), "alice", "10.1.2.3")); // alert 2: last seen 40 days ago

    assertThat(Outcomes.run(detector, script)).extracting(Alert::time).containsExactly(day(1), day(40));
  }

  @Test
  void startsAgainWithABaselineWhenEveryNetworkHasAgedOut() {
    List<ExchangeOutcome> script = List.of(
        editor(day(0), "alice", "10.1.2.3"),
        editor(day(45), "alice", "192.0.2.1"));

    assertThat(Outcomes.run(detector, script)).isEmpty();
  }

  @Test
  void keepsThirtyTwoNetworksPerSubjectDroppingTheLeastRecentlySeen() {
    List<ExchangeOutcome> script = new ArrayList<>();
    for (int i = 0; i < 33; i++) script.add(editor(day(0).plusSeconds(i), "alice", "10.0." + i + ".1"));
    script.add(editor(day(1), "alice", "10.0.32.9")); // kept
    script.add(editor(day(1), "alice", "10.0.0.9")); // dropped for the 33rd

    List<Alert> alerts = Outcomes.run(detector, script);

    assertThat(alerts).hasSize(33);
    assertThat(alerts.get(32).source()).isEqualTo("10.0.0.0/24");
    assertThat(alerts.get(32).count()).isEqualTo(32L);
    assertThat(alerts.get(32).detail()).contains("and 29 more");
  }

  @Test
  void watchesOnlySuccessfulEditorRequestsOfASubject() {
    assertThat(detector.watches(Outcomes.ok(T0, "api", Route.Role.API, "10.0.0.1", "alice"))).isFalse();
    assertThat(detector.watches(Outcomes.ok(T0, "editor", Route.Role.EDITOR, "10.0.0.1", null))).isFalse();
    assertThat(detector.watches(Outcomes.refused(T0, "editor", Route.Role.EDITOR, "10.0.0.1", "alice",
        Reason.FORBIDDEN))).isFalse();
    assertThat(detector.watches(new ExchangeOutcome(T0, "editor", Route.Role.EDITOR, Outcomes.ip("10.0.0.1"),
        "alice", 304, Reason.NONE))).isTrue();
  }

  @Test
  void staysSilentOnPeopleWorkingFromTheirUsualNetworksForAMonth() {
    List<ExchangeOutcome> firstDay = new ArrayList<>();
    List<ExchangeOutcome> month = new ArrayList<>();
    for (int d = 0; d < 31; d++) {
      for (int person = 0; person < 50; person++) {
        // The office in the morning, home in the evening, another address within each every day.
        List<ExchangeOutcome> into = d == 0 ? firstDay : month;
        into.add(editor(day(d).plusSeconds(person), "user" + person, "10.20.30." + ((d + person) % 250 + 1)));
        into.add(editor(day(d).plusSeconds(9 * 3600 + person), "user" + person,
            "2001:db8:" + Integer.toHexString(100 + person) + ":" + Integer.toHexString(d) + "::" + (d + 1)));
      }
    }

    // Home is new once for each person, on the first evening; the month after is silent.
    assertThat(Outcomes.run(detector, firstDay)).hasSize(50);
    assertThat(Outcomes.run(detector, month)).isEmpty();
  }

  @Test
  void staysSilentOnABenchmarksSessionFromLoopback() {
    List<ExchangeOutcome> script = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      script.add(editor(T0.plusMillis(i), "bench-user", "127.0.0." + (1 + i % 3)));
    }

    assertThat(Outcomes.run(detector, script)).isEmpty();
  }
}
