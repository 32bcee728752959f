package io.gatehouse.alert;

import io.gatehouse.core.ExchangeOutcome;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code auth_failures_source}: at least {@value #THRESHOLD} failed authentications
 * ({@link ExchangeOutcome#authFailure}) from one source within {@link #WINDOW}, on any routes, raise an alert; that
 * source is then quiet for {@link #QUIET}.
 * A source is an IPv4 address, or an IPv6 /64 (what one host may hold). A guess every few seconds from one place is a
 * password or token being tried; people mistyping stay below it. Requests to the editor without a live session are
 * not failures ({@link ExchangeOutcome#authFailure}).
 *
 * <p>Memory: the last {@value #THRESHOLD} failure times of at most {@value #MAX_SOURCES} sources, about 250 bytes
 * each; the source failing longest ago is dropped first.
 */
final class AuthFailuresSourceDetector implements AnomalyDetector {
  static final int THRESHOLD = 20;
  static final Duration WINDOW = Duration.ofSeconds(60);
  static final Duration QUIET = Duration.ofMinutes(10);
  static final int MAX_SOURCES = 10_000;

  private final FailureBursts<Network> bursts = new FailureBursts<>(THRESHOLD, WINDOW, QUIET, MAX_SOURCES);

  @Override
  public boolean watches(ExchangeOutcome outcome) {
    return outcome.client() != null && outcome.authFailure();
  }

  @Override
  public void observe(ExchangeOutcome outcome, Consumer<Alert> raise) {
    Network source = Network.source(outcome.client());
    if (!bursts.failed(source, outcome.time().toEpochMilli())) return;
    raise.accept(new Alert(AlertType.AUTH_FAILURES_SOURCE, outcome.time(), outcome.route(), source.toString(), null,
        THRESHOLD + " failed authentications from " + source + " within " + WINDOW.toSeconds() + " s (last: "
            + outcome.reason().code() + ")", (long) THRESHOLD, (long) THRESHOLD));
  }
}
