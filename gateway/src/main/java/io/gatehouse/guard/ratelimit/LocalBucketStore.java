package io.gatehouse.guard.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketListener;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.MathType;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LockFreeBucket;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Buckets in this replica's memory: bucket4j buckets (greedy refill) in one Caffeine cache bounded by count, so a
 * flood from millions of sources cannot grow the heap past {@link #MAX_BUCKETS} buckets ({@link #HEAP_BOUND_BYTES}).
 *
 * <p>A bucket expires only once it would be full again had it not been touched (one to two fill times after its last
 * take): from then on a fresh one is the same bucket, so expiry forgets nothing ({@link UntouchedUntilFull}). Only
 * the count bound can drop a bucket early, which gives its key a full bucket again: it errs toward letting an
 * innocent caller through rather than refusing one, and is counted.
 */
public final class LocalBucketStore implements BucketStore {
  /**
   * Every source of a large flood within the few seconds a typical bucket takes to refill. Past it, the sources a
   * flood rotates through get fresh buckets; a route-wide limit ({@code key: route}, one bucket) is the backstop.
   */
  public static final int MAX_BUCKETS = 250_000;
  /**
   * What {@link #MAX_BUCKETS} buckets may hold of the heap, keys and cache included: about 380 bytes a bucket,
   * measured by LocalBucketStoreTest (README.md).
   */
  public static final long HEAP_BOUND_BYTES = 128L << 20;

  private record Key(LimitPolicy policy, String key) {}

  private final Cache<Key, Bucket> buckets;
  /** One configuration shared by all of a policy's buckets. */
  private final Map<LimitPolicy, BucketConfiguration> configurations = new ConcurrentHashMap<>();
  private final RateLimitEvents events;

  public LocalBucketStore(RateLimitEvents events) {
    this(MAX_BUCKETS, events);
  }

  LocalBucketStore(int maxBuckets, RateLimitEvents events) {
    this.events = events;
    this.buckets = Caffeine.newBuilder()
        .maximumSize(maxBuckets)
        .expireAfter(new UntouchedUntilFull())
        // Maintenance (draining the read buffers, expiring, evicting) on the thread that finds it due, a few entries'
        // work at a time: handing it to the common pool woke a pool thread every few dozen takes, which cost each
        // checked request more than a microsecond on two cores (profiled: 3% of the gateway's CPU, most of it the
        // wake-up). The listener below then runs there too: it only counts.
        .executor(Runnable::run)
        .removalListener((Key k, Bucket b, RemovalCause cause) -> {
          if (cause == RemovalCause.SIZE) events.bucketEvictedEarly();
        })
        .build();
  }

  @Override
  public Future<Decision> take(List<LimitPolicy> policies, List<String> keys) {
    Decision tightest = null;
    for (int i = 0; i < policies.size(); i++) {
      LimitPolicy policy = policies.get(i);
      Bucket bucket = bucket(policy, keys.get(i));
      ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
      if (!probe.isConsumed()) {
        // All or none: give back what the earlier buckets of this request gave.
        for (int j = 0; j < i; j++) {
          bucket(policies.get(j), keys.get(j)).addTokens(1);
        }
        return Future.succeededFuture(new Decision(false, policy, probe.getRemainingTokens(),
            probe.getNanosToWaitForRefill(), probe.getNanosToWaitForReset()));
      }
      if (tightest == null || probe.getRemainingTokens() < tightest.remaining()) {
        tightest = new Decision(true, policy, probe.getRemainingTokens(), 0, probe.getNanosToWaitForReset());
      }
    }
    return Future.succeededFuture(tightest);
  }

  private Bucket bucket(LimitPolicy policy, String key) {
    return buckets.get(new Key(policy, key), k -> newBucket(policy));
  }

  /**
   * bucket4j's lock-free bucket, with one configuration shared by all of a policy's buckets (its builder makes one
   * per bucket). Lock-free rather than under a lock: a route-wide bucket is taken from by every event loop at once,
   * and there a compare-and-set costs less than half of what a contended monitor does (measured: 82 ns against
   * 183 ns a take, two threads on one bucket); it allocates a small state per take, which dies young.
   */
  private Bucket newBucket(LimitPolicy policy) {
    BucketConfiguration configuration = configurations.computeIfAbsent(policy, p -> BucketConfiguration.builder()
        .addLimit(limit -> limit.capacity(policy.burst())
            .refillGreedy(policy.permits(), Duration.ofNanos(policy.periodNanos())))
        .build());
    return new LockFreeBucket(configuration, MathType.INTEGER_64_BITS, TimeMeter.SYSTEM_NANOTIME,
        BucketListener.NOPE);
  }

  /**
   * Expiry at least {@code nanosToFill} after the last take, and at most twice that. Not reset on every take, as an
   * expire-after-access cache does: that writes the entry and reschedules its timer on every request, which on a
   * bucket every event loop takes from (a route-wide one) cost more than the bucket itself (measured: 141 ns a get
   * against 66, two threads on one key). A take pushes the expiry out only once less than {@code nanosToFill} is
   * left, so at most about once per fill time.
   */
  private static final class UntouchedUntilFull implements Expiry<Key, Bucket> {
    private static long life(Key key) {
      long fill = key.policy().nanosToFill();
      return fill > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 2 : 2 * fill;
    }

    @Override
    public long expireAfterCreate(Key key, Bucket bucket, long now) {
      return life(key);
    }

    @Override
    public long expireAfterUpdate(Key key, Bucket bucket, long now, long remaining) {
      return remaining;
    }

    @Override
    public long expireAfterRead(Key key, Bucket bucket, long now, long remaining) {
      return remaining >= key.policy().nanosToFill() ? remaining : life(key);
    }
  }

  /** Runs pending evictions now (tests). */
  void cleanUp() {
    buckets.cleanUp();
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public long size() {
    return buckets.estimatedSize();
  }

  @Override
  public Future<Void> close() {
    buckets.invalidateAll();
    return Future.succeededFuture();
  }
}
