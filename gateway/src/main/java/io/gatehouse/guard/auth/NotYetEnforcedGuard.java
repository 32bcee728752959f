package io.gatehouse.guard.auth;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.Guard;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Verdict;
import io.vertx.core.Future;

/**
 * Stands in for a check this version cannot perform yet ({@code auth: sso}, {@code auth: bearer}): it refuses
 * every request. A route that asks for authentication must never be served without it, so until the real
 * guard exists the route fails closed; {@code check} says so as a warning.
 */
public final class NotYetEnforcedGuard implements Guard {
  private final Reason reason;

  public NotYetEnforcedGuard(Reason reason) {
    this.reason = reason;
  }

  @Override public Future<Verdict> check(Exchange exchange) {
    return Verdict.refuse(reason);
  }
}
