package io.gatehouse.guard.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.config.RedisConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real redis-server on a loopback port. */
class RedisReplayStoreTest {
  private final Vertx vertx = Vertx.vertx();
  private RedisServer redis;
  private RedisReplayStore store;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    store = new RedisReplayStore(vertx, RedisConfig.ofUrl(URI.create(redis.url())), Duration.ofMillis(500));
  }

  @AfterEach
  void stop() throws Exception {
    store.close().await();
    vertx.close().await();
    redis.close();
  }

  @Test
  void firstDeliveryIsNewAndTheSecondIsSeen() {
    String key = ReplayKeys.of("github", "/webhook/a", "id-1");
    assertThat(store.firstSeen(key, Duration.ofMinutes(10)).await()).isTrue();
    assertThat(store.firstSeen(key, Duration.ofMinutes(10)).await()).isFalse();
  }

  @Test
  void storesOnlyNamespacedHashedKeysWithTheTtl() {
    String key = ReplayKeys.of("github", "/webhook/a", "delivery-72d3162e");
    store.firstSeen(key, Duration.ofMinutes(10)).await();
    assertThat(redis.keys("*")).containsExactly("gatehouse:replay:" + key);
    long pttl = Long.parseLong(redis.command("PTTL", "gatehouse:replay:" + key).substring(1));
    assertThat(pttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
  }

  @Test
  void forgottenKeyIsNewAgain() {
    store.firstSeen("k", Duration.ofMinutes(1)).await();
    store.forget("k").await();
    assertThat(store.firstSeen("k", Duration.ofMinutes(1)).await()).isTrue();
  }

  @Test
  void failsWhileRedisIsDownAndWorksAgainWhenItReturnsWithoutANewClient() throws Exception {
    assertThat(store.firstSeen("before", Duration.ofMinutes(1)).await()).isTrue();
    redis.stop();
    assertThatThrownBy(() -> store.firstSeen("during", Duration.ofMinutes(1)).await()).isInstanceOf(Exception.class);
    redis.startAgain();
    assertThat(store.firstSeen("after", Duration.ofMinutes(1)).await()).isTrue();
    assertThat(store.firstSeen("after", Duration.ofMinutes(1)).await()).isFalse();
  }
}
