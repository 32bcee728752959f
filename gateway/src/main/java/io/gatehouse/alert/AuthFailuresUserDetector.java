package io.gatehouse.alert;

import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.core.Reason;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code auth_failures_user}: at least {@value #THRESHOLD} failures for one subject within {@link #WINDOW} raise an
 * alert; that subject is then quiet for {@link #QUIET}. A failure here is a failed authentication that names a subject,
 * or a signed-in person refused {@code forbidden} (a group or MFA rule): someone working at an account from wherever
 * they are, which the per-source rule misses when the attempts come from many places.
 *
 * <p>Memory: the last {@value #THRESHOLD} failure times of at most {@value #MAX_SUBJECTS} subjects; the subject failing
 * longest ago is dropped first. Subjects come from verified identities, so their number is that of real people and
 * clients, not an attacker's choice.
 */
final class AuthFailuresUserDetector implements AnomalyDetector {
  static final int THRESHOLD = 5;
  static final Duration WINDOW = Duration.ofMinutes(5);
  static final Duration QUIET = Duration.ofMinutes(10);
  static final int MAX_SUBJECTS = 10_000;

  private final FailureBursts<String> bursts = new FailureBursts<>(THRESHOLD, WINDOW, QUIET, MAX_SUBJECTS);

  @Override
  public boolean watches(ExchangeOutcome outcome) {
    return outcome.subject() != null && (outcome.authFailure() || outcome.reason() == Reason.FORBIDDEN);
  }

  @Override
  public void observe(ExchangeOutcome outcome, Consumer<Alert> raise) {
    if (!bursts.failed(outcome.subject(), outcome.time().toEpochMilli())) return;
    String source = outcome.client() == null ? null : Network.source(outcome.client()).toString();
    raise.accept(new Alert(AlertType.AUTH_FAILURES_USER, outcome.time(), outcome.route(), source, outcome.subject(),
        THRESHOLD + " failures for one subject within " + WINDOW.toMinutes() + " min (last: "
            + outcome.reason().code() + ")", (long) THRESHOLD, (long) THRESHOLD));
  }
}
