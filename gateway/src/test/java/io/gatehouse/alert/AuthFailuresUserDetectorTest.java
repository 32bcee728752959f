package io.gatehouse.alert;

import static io.gatehouse.alert.Outcomes.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthFailuresUserDetectorTest {
  private final AuthFailuresUserDetector detector = new AuthFailuresUserDetector();

  private static ExchangeOutcome forbidden(long seconds, String subject, String client) {
    return Outcomes.refused(T0.plusSeconds(seconds), "editor", Route.Role.EDITOR, client, subject, Reason.FORBIDDEN);
  }

  private static ExchangeOutcome failedLogin(long seconds, String subject, String client) {
    return Outcomes.refused(T0.plusSeconds(seconds), "editor", Route.Role.EDITOR, client, subject,
        Reason.SSO_REQUIRED);
  }

  @Test
  void firesOnTheFifthFailureForOneSubjectWithinFiveMinutesFromAnywhere() {
    // One attempt a minute, each from another network: no per-source rule sees it.
    List<ExchangeOutcome> attack = List.of(
        failedLogin(0, "alice", "203.0.113.1"), forbidden(60, "alice", "198.51.100.2"),
        failedLogin(120, "alice", "192.0.2.3"), forbidden(180, "alice", "2001:db8:9::1"),
        forbidden(240, "alice", "2001:db8:aa:bb::5"), forbidden(250, "alice", "203.0.113.1"));

    List<Alert> alerts = Outcomes.run(detector, attack);

    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo(AlertType.AUTH_FAILURES_USER);
      assertThat(a.time()).isEqualTo(T0.plusSeconds(240));
      assertThat(a.route()).isEqualTo("editor");
      assertThat(a.subject()).isEqualTo("alice");
      assertThat(a.source()).isEqualTo("2001:db8:aa:bb::/64");
      assertThat(a.count()).isEqualTo(5L);
      assertThat(a.threshold()).isEqualTo(5L);
      assertThat(a.detail()).contains("5 failures", "forbidden");
    });
  }

  @Test
  void staysQuietForTenMinutesPerSubjectOnly() {
    List<ExchangeOutcome> script = new ArrayList<>();
    for (int i = 0; i < 5; i++) script.add(forbidden(i, "alice", "10.0.0.1"));
    for (int i = 5; i < 10; i++) script.add(forbidden(i, "alice", "10.0.0.1")); // quiet
    for (int i = 0; i < 5; i++) script.add(forbidden(20 + i, "bob", "10.0.0.2"));
    for (int i = 0; i < 5; i++) script.add(forbidden(601 + i, "alice", "10.0.0.1"));

    assertThat(Outcomes.run(detector, script)).extracting(Alert::subject, Alert::time).containsExactly(
        org.assertj.core.groups.Tuple.tuple("alice", T0.plusSeconds(4)),
        org.assertj.core.groups.Tuple.tuple("bob", T0.plusSeconds(24)),
        org.assertj.core.groups.Tuple.tuple("alice", T0.plusSeconds(605))); // quiet until 604, then 5 anew
  }

  @Test
  void staysSilentOnFourFailuresEveryFiveMinutes() {
    List<ExchangeOutcome> script = new ArrayList<>();
    // A person who keeps opening a page their groups do not allow, four times per five minutes, all day.
    for (int i = 0; i < 24 * 12 * 4; i++) script.add(forbidden(i * 75L + 1, "carol", "10.0.0.3"));

    assertThat(Outcomes.run(detector, script)).isEmpty();
  }

  @Test
  void ignoresFailuresWithoutASubjectAndRefusalsOtherThanForbidden() {
    assertThat(detector.watches(Outcomes.refused(T0, "editor", Route.Role.EDITOR, "10.0.0.1", null,
        Reason.FORBIDDEN))).isFalse();
    assertThat(detector.watches(Outcomes.badCredential(T0, "api", "10.0.0.1"))).isFalse();
    assertThat(detector.watches(Outcomes.refused(T0, "editor", Route.Role.EDITOR, "10.0.0.1", "alice",
        Reason.RATE_LIMITED))).isFalse();
    assertThat(detector.watches(Outcomes.refused(T0, "api", Route.Role.API, "10.0.0.1", "svc",
        Reason.UNAUTHENTICATED))).isTrue();
  }
}
