package io.gatehouse.guard.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Rate;
import io.gatehouse.config.RouteConfig.LimitKey;
import io.gatehouse.config.RouteConfig.RateLimitConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalBucketStoreTest {
  private static LimitPolicy policy(String route, long permits, Duration per, long burst) {
    return LimitPolicy.of(route,
        new RateLimitConfig(LimitKey.CLIENT_IP, Optional.empty(), new Rate(permits, per), burst));
  }

  private static Decision take(BucketStore store, LimitPolicy policy, String key) {
    return store.take(List.of(policy), List.of(key)).result();
  }

  @Test
  void aFullBucketLetsTheBurstThroughThenRefusesWithTheRealWait() {
    LocalBucketStore store = new LocalBucketStore(RateLimitEvents.NONE);
    LimitPolicy policy = policy("webhooks", 2, Duration.ofSeconds(1), 5);
    for (int i = 0; i < 5; i++) {
      Decision d = take(store, policy, "ip:1");
      assertThat(d.allowed()).isTrue();
      assertThat(d.remaining()).isEqualTo(4 - i);
    }
    Decision refused = take(store, policy, "ip:1");
    assertThat(refused.allowed()).isFalse();
    // 2/s: the next token is at most half a second away, and the bucket is full again 2.5 s after it was emptied.
    assertThat(refused.nanosToRetry()).isBetween(Duration.ofMillis(400).toNanos(), Duration.ofMillis(500).toNanos());
    assertThat(refused.nanosToFull()).isBetween(Duration.ofMillis(2400).toNanos(), Duration.ofMillis(2500).toNanos());
    assertThat(take(store, policy, "ip:2").allowed()).as("another key has its own bucket").isTrue();
  }

  @Test
  void severalLimitsAreTakenAllOrNone() {
    LocalBucketStore store = new LocalBucketStore(RateLimitEvents.NONE);
    LimitPolicy perClient = policy("webhooks", 1, Duration.ofHours(1), 3);
    LimitPolicy perRoute = policy("api", 1, Duration.ofHours(1), 1);
    Decision first = store.take(List.of(perClient, perRoute), List.of("ip:1", "route")).result();
    assertThat(first.allowed()).isTrue();
    assertThat(first.policy()).as("the tighter bucket is reported").isEqualTo(perRoute);
    Decision second = store.take(List.of(perClient, perRoute), List.of("ip:1", "route")).result();
    assertThat(second.allowed()).isFalse();
    assertThat(second.policy()).isEqualTo(perRoute);
    // The refused request gave its per-client token back: two are left of three.
    assertThat(take(store, perClient, "ip:1").remaining()).isEqualTo(1);
  }

  @Test
  void overTenSecondsTheCountAllowedStaysWithinOneBurstOfRateTimesTimePlusBurst() throws InterruptedException {
    for (long rate : new long[] {5, 50, 400}) {
      LocalBucketStore store = new LocalBucketStore(RateLimitEvents.NONE);
      long burst = rate / 5 + 1;
      LimitPolicy policy = policy("webhooks", rate, Duration.ofSeconds(1), burst);
      long start = System.nanoTime();
      long end = start + Duration.ofSeconds(10).toNanos();
      long allowed = 0;
      // Offered at about four times the rate, spread over the window.
      long gap = Duration.ofSeconds(1).toNanos() / (rate * 4);
      while (System.nanoTime() < end) {
        if (take(store, policy, "k").allowed()) allowed++;
        long next = System.nanoTime() + gap;
        while (System.nanoTime() < next) Thread.onSpinWait();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double expected = rate * seconds + burst;
      assertThat((double) allowed).as("rate %d/s burst %d over %.2f s", rate, burst, seconds)
          .isBetween(expected - burst, expected);
    }
  }

  @Test
  void aBucketInUseIsNeverForgottenAndAnIdleOneIsOnceItWouldBeFull() throws InterruptedException {
    LocalBucketStore store = new LocalBucketStore(RateLimitEvents.NONE);
    // 4/s, two at once: full again 500 ms after it was emptied.
    LimitPolicy policy = policy("webhooks", 4, Duration.ofSeconds(1), 2);
    long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
    int allowed = 0;
    long start = System.nanoTime();
    while (System.nanoTime() < until) {
      store.cleanUp();
      if (take(store, policy, "ip:busy").allowed()) allowed++;
      Thread.sleep(10);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // Taken from every 10 ms for three fill times: never a fresh bucket, so no more than 4/s plus the first two.
    assertThat((double) allowed).isLessThanOrEqualTo(4 * seconds + 2);
    Thread.sleep(1100);
    store.cleanUp();
    assertThat(store.size()).as("idle past twice its fill time: forgotten").isZero();
  }

  @Test
  void aMillionSourcesStayUnderTheDocumentedHeapBound() {
    AtomicLong evicted = new AtomicLong();
    LocalBucketStore store = new LocalBucketStore(new RateLimitEvents() {
      @Override public void bucketEvictedEarly() {
        evicted.incrementAndGet();
      }
    });
    LimitPolicy policy = policy("webhooks", 1, Duration.ofMinutes(1), 10);
    long before = usedHeap();
    for (int i = 0; i < 1_000_000; i++) {
      take(store, policy, "ip:10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff));
    }
    long after = usedHeap();
    long perBucket = (after - before) / Math.max(1, store.size());
    System.out.printf("local buckets: %d held, %d MiB, %d bytes each%n", store.size(),
        (after - before) >> 20, perBucket);
    assertThat(store.size()).isLessThanOrEqualTo(LocalBucketStore.MAX_BUCKETS);
    assertThat(after - before).as("heap held by %d buckets", store.size())
        .isLessThan(LocalBucketStore.HEAP_BOUND_BYTES);
  }

  @Test
  void theCountBoundEvictsAndCountsIt() throws InterruptedException {
    AtomicLong evicted = new AtomicLong();
    LocalBucketStore store = new LocalBucketStore(1000, new RateLimitEvents() {
      @Override public void bucketEvictedEarly() {
        evicted.incrementAndGet();
      }
    });
    LimitPolicy policy = policy("webhooks", 1, Duration.ofMinutes(1), 10);
    for (int i = 0; i < 5000; i++) take(store, policy, "ip:" + i);
    store.cleanUp();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (evicted.get() < 4000 && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(store.size()).isLessThanOrEqualTo(1000);
    assertThat(evicted.get()).isGreaterThanOrEqualTo(4000);
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
