package io.gatehouse.guard.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Rate;
import io.gatehouse.config.RedisConfig;
import io.gatehouse.config.RouteConfig.LimitKey;
import io.gatehouse.config.RouteConfig.RateLimitConfig;
import io.gatehouse.config.Secret;
import io.gatehouse.guard.replay.RedisServer;
import io.gatehouse.guard.replay.RedisTestPki;
import io.gatehouse.it.LogCapture;
import io.gatehouse.redis.LoopConnections;
import io.gatehouse.redis.RedisClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared bucket store with a client from {@link RedisClients}, as the gateway builds it, against a TLS-only
 * redis-server whose only user for Gatehouse is an ACL user limited to {@code gatehouse:} keys: its script runs
 * there, and a wrong password fails the check quickly without ever being logged.
 */
class RedisBucketStoreTlsTest {
  private static final String USER = "gatehouse";
  private static final String PASSWORD = "PW-a90c-rate-limits-never-logged";
  private static final String WRONG_PASSWORD = "PW-wrong-0b7e-never-logged-either";
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final LimitPolicy POLICY = LimitPolicy.of("webhooks",
      new RateLimitConfig(LimitKey.CLIENT_IP, Optional.empty(), new Rate(1, Duration.ofHours(1)), 2));

  @TempDir static Path dir;
  private static RedisTestPki pki;
  private static RedisServer redis;
  private final Vertx vertx = Vertx.vertx();
  private final List<BucketStore> stores = new ArrayList<>();

  @BeforeAll static void startRedis() throws Exception {
    pki = RedisTestPki.create(dir);
    redis = RedisServer.start(new RedisServer.Security(pki.server, pki.caFile, false, USER, PASSWORD));
  }

  @AfterAll static void stopRedis() throws Exception {
    redis.stop();
  }

  @AfterEach void close() throws Exception {
    for (BucketStore store : stores) store.close().await();
    vertx.close().await();
    redis.command("FLUSHALL");
  }

  private BucketStore store(String password) {
    RedisConfig config = new RedisConfig(URI.create(redis.tlsUrl()), Optional.of(USER),
        Optional.of(new Secret(password, true)),
        new RedisConfig.Tls(Optional.of(pki.caFile), Optional.empty(), Optional.empty()));
    BucketStore store = new RedisBucketStore(vertx, new LoopConnections(
        () -> RedisClients.create(vertx, config, TIMEOUT, 1), RedisClients.create(vertx, config, TIMEOUT, 4)), config, TIMEOUT);
    stores.add(store);
    return store;
  }

  @Test void takesTokensOverTlsAsTheAclUser() {
    BucketStore a = store(PASSWORD);
    BucketStore b = store(PASSWORD);

    assertThat(a.take(List.of(POLICY), List.of("ip:1")).await().remaining()).isEqualTo(1);
    assertThat(b.take(List.of(POLICY), List.of("ip:1")).await().remaining()).isZero();
    assertThat(b.take(List.of(POLICY), List.of("ip:1")).await().allowed()).isFalse();
    assertThat(redis.keys("*")).isNotEmpty().allMatch(key -> key.startsWith("gatehouse:rl:"));
  }

  @Test void aWrongPasswordFailsTheCheckQuicklyAndIsLoggedNowhere() throws Exception {
    try (LogCapture logs = LogCapture.of("")) {
      Future<Decision> check = store(WRONG_PASSWORD).take(List.of(POLICY), List.of("ip:1"));
      long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      while (!check.isComplete() && System.nanoTime() < deadline) Thread.sleep(10);

      assertThat(check.failed()).as("failed, not hanging").isTrue();
      for (Throwable t = check.cause(); t != null; t = t.getCause()) {
        assertThat(t.toString()).doesNotContain(PASSWORD).doesNotContain(WRONG_PASSWORD);
      }
      assertThat(logs.lines()).noneMatch(line -> line.contains(PASSWORD) || line.contains(WRONG_PASSWORD));
    }
    assertThat(redis.keys("*")).isEmpty();
  }
}
