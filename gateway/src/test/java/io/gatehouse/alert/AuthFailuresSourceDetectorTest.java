package io.gatehouse.alert;

import static io.gatehouse.alert.Outcomes.T0;
import static io.gatehouse.alert.Outcomes.badCredential;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthFailuresSourceDetectorTest {
  private final AuthFailuresSourceDetector detector = new AuthFailuresSourceDetector();

  @Test
  void firesOnTheTwentiethFailedAuthenticationFromOneAddressWithinAMinute() {
    List<ExchangeOutcome> attack = new ArrayList<>();
    for (int i = 0; i < 25; i++) attack.add(badCredential(T0.plusSeconds(2L * i), "public-api", "203.0.113.7"));

    List<Alert> alerts = Outcomes.run(detector, attack);

    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo(AlertType.AUTH_FAILURES_SOURCE);
      assertThat(a.time()).isEqualTo(T0.plusSeconds(38)); // the 20th
      assertThat(a.route()).isEqualTo("public-api");
      assertThat(a.source()).isEqualTo("203.0.113.7");
      assertThat(a.subject()).isNull();
      assertThat(a.count()).isEqualTo(20L);
      assertThat(a.threshold()).isEqualTo(20L);
      assertThat(a.detail()).contains("20 failed authentications", "203.0.113.7", "unauthenticated");
    });
  }

  @Test
  void countsBadWebhookSignaturesAndSsoRequiredButNotMissingSignaturesOrLoginRedirects() {
    List<ExchangeOutcome> counted = new ArrayList<>();
    List<ExchangeOutcome> ignored = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Instant t = T0.plusSeconds(i);
      counted.add(Outcomes.refused(t, "webhooks", Route.Role.WEBHOOK, "198.51.100.1", null, Reason.SIGNATURE_INVALID));
      counted.add(Outcomes.refused(t, "editor", Route.Role.EDITOR, "198.51.100.1", null, Reason.SSO_REQUIRED));
      ignored.add(Outcomes.refused(t, "webhooks", Route.Role.WEBHOOK, "198.51.100.2", null, Reason.SIGNATURE_MISSING));
      ignored.add(new ExchangeOutcome(t, "editor", Route.Role.EDITOR, Outcomes.ip("198.51.100.2"), null, 302,
          Reason.UNAUTHENTICATED));
      ignored.add(Outcomes.refused(t, "webhooks", Route.Role.WEBHOOK, "198.51.100.2", null,
          Reason.TIMESTAMP_OUT_OF_TOLERANCE));
    }

    assertThat(ignored).noneMatch(detector::watches);
    assertThat(Outcomes.run(detector, counted)).singleElement()
        .satisfies(a -> assertThat(a.source()).isEqualTo("198.51.100.1"));
  }

  @Test
  void staysQuietForTenMinutesAfterAnAlertAndFiresAgainIfTheAttackGoesOn() {
    List<ExchangeOutcome> attack = new ArrayList<>();
    // One guess a second for 15 minutes.
    for (int i = 0; i < 15 * 60; i++) attack.add(badCredential(T0.plusSeconds(i), "public-api", "203.0.113.7"));

    List<Alert> alerts = Outcomes.run(detector, attack);

    assertThat(alerts).extracting(Alert::time).containsExactly(T0.plusSeconds(19), T0.plusSeconds(19 + 600));
  }

  @Test
  void groupsIpv6SourcesByTheirSlash64() {
    List<ExchangeOutcome> oneHost = new ArrayList<>();
    List<ExchangeOutcome> manyHosts = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      oneHost.add(badCredential(T0.plusSeconds(i), "public-api", "2001:db8:1:2::" + Integer.toHexString(i)));
      String otherSlash64 = "2001:db8:1:" + Integer.toHexString(100 + i) + "::1";
      manyHosts.add(badCredential(T0.plusSeconds(i), "public-api", otherSlash64));
    }

    assertThat(Outcomes.run(detector, oneHost)).singleElement()
        .satisfies(a -> assertThat(a.source()).isEqualTo("2001:db8:1:2::/64"));
    assertThat(Outcomes.run(new AuthFailuresSourceDetector(), manyHosts)).isEmpty();
  }

  @Test
  void staysSilentOnNineteenFailuresAMinuteAndOnFailuresSpreadOverManySources() {
    List<ExchangeOutcome> slow = new ArrayList<>();
    // 19 a minute, every minute, for an hour: under the threshold in every 60-second window.
    for (int i = 0; i < 60 * 19; i++) {
      slow.add(badCredential(T0.plusMillis(i * 60_000L / 19 + 1), "api", "203.0.113.9"));
    }
    List<ExchangeOutcome> spread = new ArrayList<>();
    for (int i = 0; i < 1000; i++) spread.add(badCredential(T0.plusMillis(i * 50L), "api", "10.0." + (i % 100) + ".1"));

    assertThat(Outcomes.run(detector, slow)).isEmpty();
    assertThat(Outcomes.run(detector, spread)).isEmpty();
  }

  @Test
  void forgetsTheSourceFailingLongestAgoBeyondItsCap() {
    // 19 failures from the first source, then one from as many others as the cap holds: the first is dropped, so its
    // 20th failure starts a new count rather than completing a burst.
    List<ExchangeOutcome> script = new ArrayList<>();
    for (int i = 0; i < 19; i++) script.add(badCredential(T0, "api", "192.0.2.1"));
    for (int i = 0; i < AuthFailuresSourceDetector.MAX_SOURCES; i++) {
      script.add(badCredential(T0.plusMillis(1), "api", "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255)));
    }
    script.add(badCredential(T0.plusMillis(2), "api", "192.0.2.1"));

    assertThat(Outcomes.run(detector, script)).isEmpty();
  }

  @Test
  void staysSilentOnEditorTabsWhoseSessionsEndedButCountsPasswordLoginsThere() {
    List<ExchangeOutcome> tabs = new ArrayList<>();
    List<ExchangeOutcome> passwordGuesses = new ArrayList<>();
    // An office behind one address: its open tabs poll /rest and reconnect the push channel once a second, 401.
    for (int i = 0; i < 3600; i++) {
      tabs.add(Outcomes.refused(T0.plusSeconds(i), "editor", Route.Role.EDITOR, "198.51.100.20", null,
          Reason.UNAUTHENTICATED));
    }
    for (int i = 0; i < 20; i++) {
      passwordGuesses.add(Outcomes.refused(T0.plusSeconds(i), "editor", Route.Role.EDITOR, "198.51.100.21", null,
          Reason.SSO_REQUIRED));
    }

    assertThat(Outcomes.run(detector, tabs)).isEmpty();
    assertThat(Outcomes.run(detector, passwordGuesses)).hasSize(1);
  }

  @Test
  void watchesNothingWithoutAClientAddress() {
    assertThat(detector.watches(new ExchangeOutcome(T0, "api", Route.Role.API, null, null, 401,
        Reason.UNAUTHENTICATED))).isFalse();
    assertThat(detector.watches(Outcomes.ok(T0, "api", Route.Role.API, "203.0.113.7", null))).isFalse();
  }
}
