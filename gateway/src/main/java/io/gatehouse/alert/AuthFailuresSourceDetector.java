package io.gatehouse.alert;

import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code auth_failures_source}: at least {@value #THRESHOLD} failed authentications
 * ({@link ExchangeOutcome#authFailure}) from one source within {@link #WINDOW}, on any routes, raise an alert; that
 * source is then quiet for {@link #QUIET}.
 * A source is an IPv4 address, or an IPv6 /64 (what one host may hold). A guess every few seconds from one place is a
 * password or token being tried; people mistyping stay below it. Requests to the editor without a live session are
 * left out (see {@link #expiredEditorSession}).
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
    return outcome.client() != null && outcome.authFailure() && !expiredEditorSession(outcome);
  }

  /**
   * A 401 {@code unauthenticated} on an editor route is a request without a live session: an open n8n tab whose
   * session ended keeps calling {@code /rest} and reconnecting its push channel, and an office behind one address has
   * many such tabs. Nothing is guessed there (sessions are sealed cookies; passwords are typed at the IdP, whose
   * refused callbacks and n8n's own password login still count), so counting them would only raise false alarms.
   */
  private static boolean expiredEditorSession(ExchangeOutcome outcome) {
    return outcome.role() == Route.Role.EDITOR && outcome.reason() == Reason.UNAUTHENTICATED;
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
