package io.gatehouse.guard.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.config.Rate;
import io.gatehouse.config.RedisConfig;
import io.gatehouse.config.RouteConfig.LimitKey;
import io.gatehouse.config.RouteConfig.RateLimitConfig;
import io.gatehouse.guard.replay.RedisServer;
import io.gatehouse.redis.LoopConnections;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real redis-server on a loopback port: two stores stand for two replicas. */
class RedisBucketStoreTest {
  private final Vertx vertx = Vertx.vertx();
  private RedisServer redis;
  private RedisBucketStore replicaA;
  private RedisBucketStore replicaB;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    replicaA = store();
    replicaB = store();
  }

  private RedisBucketStore store() {
    RedisOptions options = new RedisOptions().setConnectionString(redis.url());
    return new RedisBucketStore(vertx, new LoopConnections(() -> Redis.createClient(vertx, options),
        Redis.createClient(vertx, options)), RedisConfig.ofUrl(java.net.URI.create(redis.url())), Duration.ofMillis(500));
  }

  @AfterEach
  void stop() throws Exception {
    replicaA.close().await();
    replicaB.close().await();
    vertx.close().await();
    redis.close();
  }

  private static LimitPolicy policy(long permits, Duration per, long burst) {
    return LimitPolicy.of("webhooks",
        new RateLimitConfig(LimitKey.CLIENT_IP, Optional.empty(), new Rate(permits, per), burst));
  }

  private static Decision take(BucketStore store, LimitPolicy policy, String key) {
    return store.take(List.of(policy), List.of(key)).await();
  }

  @Test
  void twoReplicasShareOneBucket() {
    LimitPolicy policy = policy(1, Duration.ofHours(1), 4);
    assertThat(take(replicaA, policy, "ip:1").remaining()).isEqualTo(3);
    assertThat(take(replicaB, policy, "ip:1").remaining()).isEqualTo(2);
    assertThat(take(replicaA, policy, "ip:1").remaining()).isEqualTo(1);
    assertThat(take(replicaB, policy, "ip:1").remaining()).isEqualTo(0);
    Decision refused = take(replicaA, policy, "ip:1");
    assertThat(refused.allowed()).isFalse();
    // One token an hour: the next one is nearly an hour away, a full bucket four.
    assertThat(refused.nanosToRetry()).isBetween(Duration.ofMinutes(59).toNanos(), Duration.ofMinutes(60).toNanos());
    assertThat(refused.nanosToFull()).isBetween(Duration.ofMinutes(239).toNanos(), Duration.ofMinutes(240).toNanos());
    assertThat(take(replicaB, policy, "ip:2").allowed()).isTrue();
  }

  @Test
  void keysAreNamespacedAndExpireWhenTheBucketWouldBeFull() {
    LimitPolicy policy = policy(10, Duration.ofSeconds(1), 20);
    take(replicaA, policy, "ip:203.0.113.9");
    String key = "gatehouse:rl:webhooks:client_ip:ip:203.0.113.9";
    assertThat(redis.keys("*")).containsExactly(key);
    long pttl = Long.parseLong(redis.command("PTTL", key).substring(1));
    // One token taken at 10/s: full again in 100 ms.
    assertThat(pttl).isBetween(1L, 100L);
  }

  @Test
  void severalLimitsAreTakenAllOrNoneInOneCall() {
    LimitPolicy perClient = LimitPolicy.of("api",
        new RateLimitConfig(LimitKey.CLIENT_IP, Optional.empty(), new Rate(1, Duration.ofHours(1)), 3));
    LimitPolicy perRoute = LimitPolicy.of("api",
        new RateLimitConfig(LimitKey.ROUTE, Optional.empty(), new Rate(1, Duration.ofHours(1)), 1));
    Decision first = replicaA.take(List.of(perClient, perRoute), List.of("ip:1", "route")).await();
    assertThat(first.allowed()).isTrue();
    assertThat(first.policy()).isEqualTo(perRoute);
    assertThat(first.remaining()).isZero();
    Decision second = replicaB.take(List.of(perClient, perRoute), List.of("ip:1", "route")).await();
    assertThat(second.allowed()).isFalse();
    assertThat(second.policy()).isEqualTo(perRoute);
    assertThat(take(replicaA, perClient, "ip:1").remaining()).as("the refused call took nothing").isEqualTo(1);
  }

  @Test
  void overTenSecondsTwoReplicasTogetherAllowRateTimesTimePlusBurstWithinOneBurst() {
    LimitPolicy policy = policy(20, Duration.ofSeconds(1), 10);
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(10).toNanos();
    long allowed = 0;
    int i = 0;
    while (System.nanoTime() < end) {
      if (take(i++ % 2 == 0 ? replicaA : replicaB, policy, "k").allowed()) allowed++;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double expected = 20 * seconds + 10;
    assertThat((double) allowed).as("%d calls over %.2f s", i, seconds).isBetween(expected - 10, expected);
  }

  /** As the gateway calls it: on an event loop, over that loop's own connection, which is opened again after a loss. */
  @Test
  void onAnEventLoopItKeepsOneConnectionAndOpensItAgainAfterRedisRestarts() throws Exception {
    LimitPolicy policy = policy(1, Duration.ofHours(1), 100);
    io.vertx.core.Context loop = vertx.getOrCreateContext();
    assertThat(loop.isEventLoopContext()).isTrue();
    for (int i = 0; i < 20; i++) {
      assertThat(onLoop(loop, policy, "ip:loop").remaining()).isEqualTo(99 - i);
    }
    redis.stop();
    assertThatThrownBy(() -> onLoop(loop, policy, "ip:loop")).isInstanceOf(Exception.class);
    redis.startAgain();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Decision again = null;
    while (again == null && System.nanoTime() < deadline) {
      try {
        again = onLoop(loop, policy, "ip:loop");
      } catch (Exception retry) {
        Thread.sleep(100);
      }
    }
    assertThat(again).as("the loop's connection opened again").isNotNull();
    assertThat(again.remaining()).as("an empty Redis: a full bucket").isEqualTo(99);
  }

  private Decision onLoop(io.vertx.core.Context loop, LimitPolicy policy, String key) throws Exception {
    java.util.concurrent.CompletableFuture<Decision> result = new java.util.concurrent.CompletableFuture<>();
    loop.runOnContext(v -> replicaA.take(List.of(policy), List.of(key))
        .onComplete(ar -> {
          if (ar.succeeded()) result.complete(ar.result());
          else result.completeExceptionally(ar.cause());
        }));
    return result.get(5, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void failsWhileRedisIsDownAndSharesAgainWhenItReturns() throws Exception {
    LimitPolicy policy = policy(1, Duration.ofHours(1), 2);
    assertThat(take(replicaA, policy, "ip:1").allowed()).isTrue();
    redis.stop();
    assertThatThrownBy(() -> take(replicaA, policy, "ip:1")).isInstanceOf(Exception.class);
    redis.startAgain();
    // An empty Redis, without the script: NOSCRIPT once, then the script is sent whole.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Decision again = null;
    while (again == null && System.nanoTime() < deadline) {
      try {
        again = take(replicaA, policy, "ip:1");
      } catch (Exception retry) {
        Thread.sleep(100);
      }
    }
    assertThat(again).isNotNull();
    assertThat(again.remaining()).isEqualTo(1);
    assertThat(take(replicaB, policy, "ip:1").remaining()).isZero();
    assertThat(take(replicaA, policy, "ip:1").allowed()).isFalse();
  }
}
