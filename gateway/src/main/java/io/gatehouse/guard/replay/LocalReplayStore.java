package io.gatehouse.guard.replay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replay store of one replica: an in-memory Caffeine cache, bounded in size, each entry expiring after the ttl
 * it was recorded with (webhooks may have different tolerances). With several replicas behind a load balancer a
 * replay sent to another replica is not seen: use {@link RedisReplayStore} there.
 *
 * <p>Only legitimately signed deliveries are recorded (a forged one is refused before), so filling the cache
 * takes that many genuine deliveries within the ttl; past the bound the least recently used are dropped first.
 */
public final class LocalReplayStore implements ReplayStore {
  /**
   * About 240 bytes an entry (a 48-byte key, Caffeine's node with its expiry and eviction links, the backing map's
   * node; a shared ttl value), measured as the heap after GC with the store full: 250k entries cost about 60 MB,
   * which fits the recommended 128 MiB heap, and cover 400 deliveries a second for the default 10-minute replay
   * window. Busier replicas should share a Redis store, which has no such bound.
   */
  public static final long DEFAULT_MAX_ENTRIES = 250_000;

  private final Cache<DigestKey, Long> seen;
  /** One boxed value per distinct ttl, shared by every entry recorded with it. */
  private final Map<Long, Long> ttls = new ConcurrentHashMap<>();

  public LocalReplayStore() {
    this(DEFAULT_MAX_ENTRIES, Ticker.systemTicker());
  }

  /** @param ticker the clock expiry is measured with (a fake one in tests) */
  public LocalReplayStore(long maxEntries, Ticker ticker) {
    this.seen = Caffeine.newBuilder()
        // Maintenance on the calling event loop: by default every write wakes a common-pool thread, which
        // profiling showed as a third of a signed delivery's extra cost.
        .executor(Runnable::run)
        .maximumSize(maxEntries)
        .ticker(ticker)
        .expireAfter(new PerEntryTtl())
        .build();
  }

  @Override public Future<Boolean> firstSeen(String key, Duration ttl) {
    // putIfAbsent is atomic and treats an expired, not yet evicted entry as absent.
    Long nanos = ttls.computeIfAbsent(ttl.toNanos(), n -> n);
    return Future.succeededFuture(seen.asMap().putIfAbsent(DigestKey.of(key), nanos) == null);
  }

  @Override public Future<Void> forget(String key) {
    seen.invalidate(DigestKey.of(key));
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
  private static final class PerEntryTtl implements Expiry<DigestKey, Long> {
    @Override public long expireAfterCreate(DigestKey key, Long ttlNanos, long currentTime) {
      return ttlNanos;
    }

    @Override public long expireAfterUpdate(DigestKey key, Long ttlNanos, long currentTime, long currentDuration) {
      return currentDuration;
    }

    @Override public long expireAfterRead(DigestKey key, Long ttlNanos, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /**
   * A replay key ({@link ReplayKeys}: 64 hex digits of a SHA-256) held as four longs, less than half the memory
   * of the string. A key of any other shape (tests) is hashed first, so equal keys stay equal.
   */
  record DigestKey(long a, long b, long c, long d) {
    static DigestKey of(String key) {
      String hex = key.length() == 64 && key.chars().allMatch(ch -> Character.digit(ch, 16) >= 0) ? key : sha256Hex(key);
      return new DigestKey(
          Long.parseUnsignedLong(hex, 0, 16, 16),
          Long.parseUnsignedLong(hex, 16, 32, 16),
          Long.parseUnsignedLong(hex, 32, 48, 16),
          Long.parseUnsignedLong(hex, 48, 64, 16));
    }

    private static String sha256Hex(String text) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is in every JDK", e);
      }
    }
  }
}
