package io.gatehouse.alert;

import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.core.Route;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code off_hours_webhook}: per {@code WEBHOOK} route, which UTC hours of the day had traffic on each of the last
 * {@value #DAYS} days. Once the route has {@link #MIN_HISTORY} of history, a request in an hour of the day that had no
 * traffic on any of the last {@value #DAYS} days raises an alert, at most one per route and clock hour. Only requests
 * the gateway let through are learned from and alerted on: refusals are the failed-auth and refusal detectors' part,
 * and an internet scanner's probes at night must neither teach the route that night is usual nor alert every night.
 * A route that had no traffic at all on the last {@value #DAYS} days starts its history again.
 *
 * <p>Memory: one 24-bit mask per day for {@value #DAYS} days and today, per route, at most {@value #MAX_ROUTES}
 * routes (the config's, so the cap is only a backstop).
 */
final class OffHoursWebhookDetector implements AnomalyDetector {
  static final int DAYS = 14;
  static final Duration MIN_HISTORY = Duration.ofDays(7);
  static final int MAX_ROUTES = 1_000;
  private static final long HOUR_MILLIS = 3_600_000;
  private static final long DAY_MILLIS = 24 * HOUR_MILLIS;
  private static final int SLOTS = DAYS + 1;

  private final BoundedLruMap<String, Hours> routes = new BoundedLruMap<>(MAX_ROUTES);

  /** One route's hours with traffic, a ring of the latest {@value #SLOTS} days. */
  private static final class Hours {
    final long[] day = new long[SLOTS];
    final int[] hours = new int[SLOTS];
    long firstMillis;
    long alertedHour = Long.MIN_VALUE;

    Hours(long firstMillis) {
      this.firstMillis = firstMillis;
      java.util.Arrays.fill(day, Long.MIN_VALUE);
    }

    int hoursOn(long d) {
      int slot = (int) Math.floorMod(d, (long) SLOTS);
      return day[slot] == d ? hours[slot] : 0;
    }

    void mark(long d, int hour) {
      int slot = (int) Math.floorMod(d, (long) SLOTS);
      if (day[slot] < d) {
        day[slot] = d;
        hours[slot] = 0;
      }
      if (day[slot] == d) hours[slot] |= 1 << hour;
    }
  }

  @Override
  public boolean watches(ExchangeOutcome outcome) {
    return outcome.role() == Route.Role.WEBHOOK && outcome.route() != null && !outcome.refused();
  }

  @Override
  public void observe(ExchangeOutcome outcome, Consumer<Alert> raise) {
    long millis = outcome.time().toEpochMilli();
    long today = Math.floorDiv(millis, DAY_MILLIS);
    int hour = (int) ((millis - today * DAY_MILLIS) / HOUR_MILLIS);
    Hours route = routes.computeIfAbsent(outcome.route(), r -> new Hours(millis));
    int usual = 0;
    int daysWithTraffic = 0;
    for (long d = today - DAYS; d < today; d++) {
      int h = route.hoursOn(d);
      usual |= h;
      if (h != 0) daysWithTraffic++;
    }
    if (daysWithTraffic == 0 && route.hoursOn(today) == 0) route.firstMillis = millis; // idle 14 days: start again
    long clockHour = Math.floorDiv(millis, HOUR_MILLIS);
    boolean established = millis - route.firstMillis >= MIN_HISTORY.toMillis();
    if (established && (usual & (1 << hour)) == 0 && clockHour != route.alertedHour) {
      route.alertedHour = clockHour;
      raise.accept(new Alert(AlertType.OFF_HOURS_WEBHOOK, outcome.time(), outcome.route(),
          outcome.client() == null ? null : Network.source(outcome.client()).toString(), null,
          String.format(java.util.Locale.ROOT, "traffic at %02d:00-%02d:59 UTC, an hour with none on any of the last"
              + " %d days (%d of them had traffic)", hour, hour, DAYS, daysWithTraffic),
          (long) daysWithTraffic, null));
    }
    route.mark(today, hour);
  }
}
