package io.gatehouse.core;

import io.vertx.core.Future;
import java.util.List;

/**
 * Runs a route's guards in order and stops at the first refusal. Anything other than an explicit pass (an
 * exception, a failed future) is a refusal with {@link Reason#GUARD_ERROR}, and the exchange keeps which guard
 * failed and how ({@link Exchange#guardFailure}) for the log, the metric and the audit entry.
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
    Guard guard = guards.get(index);
    Future<Verdict> result;
    try {
      result = guard.check(exchange);
    } catch (RuntimeException e) {
      return failed(exchange, guard, e);
    }
    return result
        .recover(failure -> failed(exchange, guard, failure))
        .compose(verdict -> {
          if (!(verdict instanceof Verdict.Pass pass)) return Future.succeededFuture(verdict);
          // What a pass established is the exchange's from here on: later guards (a group rule, a rate limit by
          // identity) and the forwarder see it.
          pass.identity().ifPresent(exchange::identity);
          if (!pass.headers().isEmpty()) exchange.addResponseHeaders(pass.headers());
          return runFrom(index + 1, exchange);
        });
  }

  private static Future<Verdict> failed(Exchange exchange, Guard guard, Throwable failure) {
    exchange.guardFailure(new Exchange.GuardFailure(guard.getClass().getSimpleName(), failure));
    return Verdict.refuse(Reason.GUARD_ERROR);
  }
}
