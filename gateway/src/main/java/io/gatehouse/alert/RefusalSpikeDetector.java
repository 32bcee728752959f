package io.gatehouse.alert;

import io.gatehouse.core.ExchangeOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * {@code refusal_spike}: per route, the gateway's refusals ({@link ExchangeOutcome#refused}) are counted per minute
 * (UTC, by arrival). The baseline is the mean of the previous {@value #BASELINE_MINUTES} complete minutes (fewer while
 * the detector has run less long; minutes without refusals count as 0), and exists once the detector has watched for
 * {@value #MIN_HISTORY_MINUTES} minutes. When the current minute's refusals reach max({@value #MIN_SPIKE},
 * {@value #FACTOR} x baseline), an alert is raised and the route is quiet for {@link #QUIET}. Refusals of requests that
 * matched no route are counted together under no route.
 *
 * <p>The floor of {@value #MIN_SPIKE} keeps a quiet route's odd handful of refusals from alerting; the factor lets a
 * route with a steady share of refusals (expired sessions, a misconfigured sender) carry on without alerts. History
 * starts when the detector starts, for every route alike: a route that has refused nothing so far has a baseline of 0.
 *
 * <p>Memory: {@value #SLOTS} counters per route, at most {@value #MAX_ROUTES} routes (routes are the config's, so the
 * cap is only a backstop), the one refusing longest ago dropped first.
 */
final class RefusalSpikeDetector implements AnomalyDetector {
  static final int BASELINE_MINUTES = 30;
  static final int MIN_HISTORY_MINUTES = 10;
  static final int MIN_SPIKE = 20;
  static final int FACTOR = 5;
  static final Duration QUIET = Duration.ofMinutes(10);
  static final int MAX_ROUTES = 1_000;
  /** The current minute and the baseline's. */
  private static final int SLOTS = BASELINE_MINUTES + 1;
  private static final long MINUTE_MILLIS = 60_000;

  private final long startMillis;
  private final BoundedLruMap<String, Minutes> routes = new BoundedLruMap<>(MAX_ROUTES);

  /** One route's refusals per minute, a ring of the latest {@value #SLOTS} minutes. */
  private static final class Minutes {
    final long[] minute = new long[SLOTS];
    final long[] refusals = new long[SLOTS];
    long latest = Long.MIN_VALUE;
    /** The threshold of minute {@code latest}, computed at its first refusal; 0 while there is no baseline. */
    long threshold;
    long quietUntil = Long.MIN_VALUE;

    Minutes() {
      java.util.Arrays.fill(minute, Long.MIN_VALUE);
    }

    long refusalsIn(long m) {
      int slot = (int) Math.floorMod(m, (long) SLOTS);
      return minute[slot] == m ? refusals[slot] : 0;
    }

    long add(long m) {
      int slot = (int) Math.floorMod(m, (long) SLOTS);
      if (minute[slot] != m) {
        minute[slot] = m;
        refusals[slot] = 0;
      }
      return ++refusals[slot];
    }
  }

  /** @param watchingSince when the detector started: every route's history begins there */
  RefusalSpikeDetector(Instant watchingSince) {
    this.startMillis = watchingSince.toEpochMilli();
  }

  @Override
  public boolean watches(ExchangeOutcome outcome) {
    return outcome.refused();
  }

  @Override
  public void observe(ExchangeOutcome outcome, Consumer<Alert> raise) {
    long millis = outcome.time().toEpochMilli();
    long m = Math.floorDiv(millis, MINUTE_MILLIS);
    Minutes route = routes.computeIfAbsent(outcome.route(), r -> new Minutes());
    if (m < route.latest) {
      // A late arrival (a request's time is its arrival): counted in its minute's slot while that is still kept.
      if (route.latest - m < BASELINE_MINUTES) route.add(m);
      return;
    }
    long count = route.add(m);
    if (m > route.latest) {
      route.latest = m;
      route.threshold = threshold(route, m);
    }
    if (route.threshold == 0 || count < route.threshold || millis < route.quietUntil) return;
    route.quietUntil = millis + QUIET.toMillis();
    double baseline = baseline(route, m);
    raise.accept(new Alert(AlertType.REFUSAL_SPIKE, outcome.time(), outcome.route(), null, null,
        count + " refusals in the minute from " + Instant.ofEpochMilli(m * MINUTE_MILLIS) + " (baseline "
            + String.format(java.util.Locale.ROOT, "%.1f", baseline) + " a minute over the previous "
            + baselineMinutes(m) + " min; last: " + outcome.reason().code() + ")",
        count, route.threshold));
  }

  /** The count minute {@code m} alerts at, or 0 while there is too little history for a baseline. */
  private long threshold(Minutes route, long m) {
    if (baselineMinutes(m) < MIN_HISTORY_MINUTES) return 0;
    return Math.max(MIN_SPIKE, (long) Math.ceil(FACTOR * baseline(route, m)));
  }

  /** Whole minutes watched before minute {@code m}, at most {@value #BASELINE_MINUTES}. */
  private long baselineMinutes(long m) {
    return Math.min(BASELINE_MINUTES, Math.max(0, Math.floorDiv(m * MINUTE_MILLIS - startMillis, MINUTE_MILLIS)));
  }

  private double baseline(Minutes route, long m) {
    long minutes = baselineMinutes(m);
    if (minutes == 0) return 0;
    long sum = 0;
    for (long past = m - minutes; past < m; past++) sum += route.refusalsIn(past);
    return (double) sum / minutes;
  }
}
