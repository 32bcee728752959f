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

  /**
   * Guards that answer at once (most do: the source lists, a local rate limit) are run in a plain loop; only a guard
   * whose answer is still to come (a Redis call, a body being read) costs callbacks, and the rest of the chain runs
   * when it completes. Composing futures for every guard would cost each request a few allocations per guard.
   */
  private Future<Verdict> runFrom(int index, Exchange exchange) {
    for (int i = index; i < guards.size(); i++) {
      Guard guard = guards.get(i);
      Future<Verdict> result;
      try {
        result = guard.check(exchange);
      } catch (RuntimeException e) {
        return failed(exchange, guard, e);
      }
      if (!result.isComplete()) {
        int next = i + 1;
        return result
            .recover(failure -> failed(exchange, guard, failure))
            .compose(verdict -> passed(verdict, exchange, guard) ? runFrom(next, exchange)
                : decided(verdict, exchange, guard));
      }
      if (result.failed()) return failed(exchange, guard, result.cause());
      Verdict verdict = result.result();
      if (!passed(verdict, exchange, guard)) return verdict == null ? decided(null, exchange, guard) : result;
    }
    return Verdict.PASS;
  }

  /**
   * Whether {@code verdict} lets the exchange go on; what a pass established is the exchange's from here on: later
   * guards (a group rule, a rate limit by identity) and the forwarder see it.
   */
  private static boolean passed(Verdict verdict, Exchange exchange, Guard guard) {
    if (!(verdict instanceof Verdict.Pass pass)) return false;
    pass.identity().ifPresent(exchange::identity);
    if (!pass.headers().isEmpty()) exchange.addResponseHeaders(pass.headers());
    return true;
  }

  /** A refusal as it is; no verdict at all is a guard's bug, and fails closed. */
  private static Future<Verdict> decided(Verdict verdict, Exchange exchange, Guard guard) {
    if (verdict == null) return failed(exchange, guard, new IllegalStateException("the guard gave no verdict"));
    return Future.succeededFuture(verdict);
  }

  private static Future<Verdict> failed(Exchange exchange, Guard guard, Throwable failure) {
    exchange.guardFailure(new Exchange.GuardFailure(guard.getClass().getSimpleName(), failure));
    return Verdict.refuse(Reason.GUARD_ERROR);
  }
}
