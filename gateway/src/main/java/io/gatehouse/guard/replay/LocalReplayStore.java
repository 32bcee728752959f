package io.gatehouse.guard.replay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * The replay store of one replica: an in-memory Caffeine cache, bounded in size, each entry expiring after the ttl
 * it was recorded with (webhooks may have different tolerances). With several replicas behind a load balancer a
 * replay sent to another replica is not seen: use {@link RedisReplayStore} there.
 *
 * <p>Only legitimately signed deliveries are recorded (a forged one is refused before), so filling the cache
 * takes that many genuine deliveries within the ttl; past the bound the least recently used are dropped first.
 */
public final class LocalReplayStore implements ReplayStore {
  /** About 150 bytes an entry: 1M entries cost about 150 MB at worst, and only under that much real traffic. */
  public static final long DEFAULT_MAX_ENTRIES = 1_000_000;

  private final Cache<String, Long> seen;

  public LocalReplayStore() {
    this(DEFAULT_MAX_ENTRIES, Ticker.systemTicker());
  }

  /** @param ticker the clock expiry is measured with (a fake one in tests) */
  public LocalReplayStore(long maxEntries, Ticker ticker) {
    this.seen = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .ticker(ticker)
        .expireAfter(new PerEntryTtl())
        .build();
  }

  @Override public Future<Boolean> firstSeen(String key, Duration ttl) {
    // putIfAbsent is atomic and treats an expired, not yet evicted entry as absent.
    return Future.succeededFuture(seen.asMap().putIfAbsent(key, ttl.toNanos()) == null);
  }

  @Override public Future<Void> forget(String key) {
    seen.invalidate(key);
    return Future.succeededFuture();
  }

  /** The number of entries held, after pending evictions ran (for tests of the bound). */
  long estimatedSize() {
    seen.cleanUp();
    return seen.estimatedSize();
  }

  @Override public String name() {
    return "local";
  }

  @Override public Future<Void> close() {
    seen.invalidateAll();
    return Future.succeededFuture();
  }

  /** The value is the entry's ttl in nanoseconds; reading or re-recording an entry never extends it. */
  private static final class PerEntryTtl implements Expiry<String, Long> {
    @Override public long expireAfterCreate(String key, Long ttlNanos, long currentTime) {
      return ttlNanos;
    }

    @Override public long expireAfterUpdate(String key, Long ttlNanos, long currentTime, long currentDuration) {
      return currentDuration;
    }

    @Override public long expireAfterRead(String key, Long ttlNanos, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
