package io.gatehouse.guard.lockout;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.Guard;
import io.gatehouse.core.Identity;
import io.gatehouse.core.Reason;
import io.gatehouse.core.ResponseHeaders;
import io.gatehouse.core.Verdict;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * Refuses a locked-out source (before anything else is checked, so a guesser learns nothing more) or, after
 * authentication, a locked-out identity: 429 {@code locked_out}, with {@code Retry-After} the time left.
 */
public final class LockoutGuard implements Guard {
  private final Lockouts lockouts;
  private final boolean identity;

  /** @param identity whether this checks the authenticated identity rather than the source */
  public LockoutGuard(Lockouts lockouts, boolean identity) {
    this.lockouts = lockouts;
    this.identity = identity;
  }

  @Override
  public Future<Verdict> check(Exchange exchange) {
    String key;
    if (identity) {
      Identity who = exchange.identity().orElse(null);
      if (who == null) return Verdict.PASS;
      key = Lockouts.identityKey(who.subject());
    } else {
      if (exchange.clientAddress() == null) return Verdict.PASS;
      key = lockouts.sourceKey(exchange.clientAddress());
    }
    Duration left = lockouts.remaining(key);
    if (left.compareTo(Duration.ZERO) <= 0) return Verdict.PASS;
    long seconds = Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
    return Verdict.refuse(Reason.LOCKED_OUT, ResponseHeaders.of("Retry-After", Long.toString(seconds)));
  }
}
