package io.gatehouse.guard;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.Guard;
import io.gatehouse.core.Verdict;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Stands in for everything after the guard under test (the next guard, the upstream): counts how often it runs. */
public final class CountingGuard implements Guard {
  private final AtomicInteger calls = new AtomicInteger();

  @Override
  public Future<Verdict> check(Exchange exchange) {
    calls.incrementAndGet();
    return Verdict.PASS;
  }

  public int calls() {
    return calls.get();
  }
}
