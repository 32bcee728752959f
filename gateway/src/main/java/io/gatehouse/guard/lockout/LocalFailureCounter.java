package io.gatehouse.guard.lockout;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.config.RateLimitsConfig.Lockout;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failures counted in this replica's memory: a key's window opens with its first failure and lasts {@code within};
 * the {@code failures}-th inside it starts a ban. Bounded like the bucket store, erring the same way: a key dropped
 * early starts counting again.
 */
final class LocalFailureCounter implements FailureCounter {
  static final int MAX_KEYS = 250_000;

  private final Cache<String, AtomicInteger> counts;
  private final Lockout lockout;

  LocalFailureCounter(Lockout lockout) {
    this.lockout = lockout;
    this.counts = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterWrite(lockout.within())
        .executor(Runnable::run).build();
  }

  @Override
  public Future<Duration> failed(String key) {
    int n = counts.get(key, k -> new AtomicInteger()).incrementAndGet();
    if (n < lockout.failures()) return Future.succeededFuture(Duration.ZERO);
    counts.invalidate(key);
    return Future.succeededFuture(lockout.ban());
  }

  @Override
  public Future<Void> close() {
    counts.invalidateAll();
    return Future.succeededFuture();
  }
}
