package io.gatehouse.guard.lockout;

import io.vertx.core.Future;
import java.time.Duration;

/** Counts failed authentications per key and says when one starts (or meets) a lockout. */
interface FailureCounter {
  /**
   * Counts one failure for {@code key}. Completes with how long the key is now locked out: the whole ban when this
   * failure started it, what is left when it already was (another replica started it), zero when it is not.
   */
  Future<Duration> failed(String key);

  Future<Void> close();
}
