package io.gatehouse.core;

import io.vertx.core.Future;

/**
 * One inbound check with one job. Shared by every event loop, so implementations hold only final, immutable
 * fields; per-request data lives in the {@link Exchange}.
 */
public interface Guard {
  /**
   * Never blocks. Completes with a {@link Verdict}; a failed future is a bug and the runner turns it into a
   * refusal ({@link Reason#GUARD_ERROR}): we fail closed.
   */
  Future<Verdict> check(Exchange exchange);
}
