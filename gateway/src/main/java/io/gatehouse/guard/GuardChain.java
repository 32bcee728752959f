package io.gatehouse.guard;

import io.gatehouse.route.Exchange;
import io.vertx.core.Future;
import java.util.List;

/**
 * Runs a route's guards in order and stops at the first refusal. Anything other than an explicit pass (an
 * exception, a failed future) is a refusal with {@link Reason#GUARD_ERROR}.
 */
public final class GuardChain {
  private final List<Guard> guards;

  public GuardChain(List<Guard> guards) {
    this.guards = List.copyOf(guards);
  }

  public List<Guard> guards() {
    return guards;
  }

  public Future<Verdict> run(Exchange exchange) {
    return runFrom(0, exchange);
  }

  private Future<Verdict> runFrom(int index, Exchange exchange) {
    if (index == guards.size()) return Verdict.PASS;
    Future<Verdict> result;
    try {
      result = guards.get(index).check(exchange);
    } catch (RuntimeException e) {
      return Verdict.refuse(Reason.GUARD_ERROR);
    }
    return result
        .recover(failure -> Verdict.refuse(Reason.GUARD_ERROR))
        .compose(verdict -> verdict instanceof Verdict.Pass ? runFrom(index + 1, exchange) : Future.succeededFuture(verdict));
  }
}
