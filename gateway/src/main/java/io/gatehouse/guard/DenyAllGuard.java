package io.gatehouse.guard;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.Guard;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Verdict;
import io.vertx.core.Future;

/**
 * Refuses every request with {@link Reason#ROUTE_DENIED}: the guard behind {@code deny: all}, e.g. for n8n's test
 * webhooks ({@code /webhook-test/}), which must never be reachable in production. Stateless, so one instance can
 * serve every route.
 */
public final class DenyAllGuard implements Guard {
  @Override
  public Future<Verdict> check(Exchange exchange) {
    return Verdict.refuse(Reason.ROUTE_DENIED);
  }
}
