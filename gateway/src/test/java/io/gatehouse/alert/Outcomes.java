package io.gatehouse.alert;

import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Scripted exchange outcomes for the detector tests, and a way to run detectors over them as the thread would. */
final class Outcomes {
  /** A Monday, 00:00 UTC: every script's day 0. */
  static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

  private Outcomes() {}

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static Instant at(Duration sinceT0) {
    return T0.plus(sinceT0);
  }

  static ExchangeOutcome ok(Instant time, String route, Route.Role role, String client, String subject) {
    return new ExchangeOutcome(time, route, role, ip(client), subject, 200, Reason.NONE);
  }

  static ExchangeOutcome refused(Instant time, String route, Route.Role role, String client, String subject,
      Reason reason) {
    return new ExchangeOutcome(time, route, role, ip(client), subject, reason.status(), reason);
  }

  /** A bad password, token or session: 401 unauthenticated. */
  static ExchangeOutcome badCredential(Instant time, String route, String client) {
    return refused(time, route, Route.Role.API, client, null, Reason.UNAUTHENTICATED);
  }

  /** Runs {@code detectors} over {@code outcomes} in order, as the detector thread does; the alerts raised. */
  static List<Alert> run(List<? extends AnomalyDetector> detectors, Iterable<ExchangeOutcome> outcomes) {
    List<Alert> alerts = new ArrayList<>();
    Consumer<Alert> raise = alerts::add;
    for (ExchangeOutcome outcome : outcomes) {
      for (AnomalyDetector detector : detectors) {
        if (detector.watches(outcome)) detector.observe(outcome, raise);
      }
    }
    return alerts;
  }

  static List<Alert> run(AnomalyDetector detector, Iterable<ExchangeOutcome> outcomes) {
    return run(List.of(detector), outcomes);
  }
}
