package io.gatehouse.sso.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RedisConfig;
import io.gatehouse.config.Secret;
import io.gatehouse.guard.replay.RedisServer;
import io.gatehouse.guard.replay.RedisTestPki;
import io.gatehouse.it.LogCapture;
import io.gatehouse.sso.session.Session;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocations shared through a redis-server that speaks only TLS, asks for a client certificate and knows only an
 * ACL user limited to {@code gatehouse:} keys and channels: the command client and the subscriber connection both
 * get through, also after a restart, and a wrong password fails without ever being shown.
 */
class RedisRevocationSharingTlsTest {
  private static final String USER = "gatehouse";
  private static final String PASSWORD = "PW-31f0-revocations-never-logged";
  private static final String WRONG_PASSWORD = "PW-wrong-58aa-never-logged-either";
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final Duration KEEP = Duration.ofHours(1);

  @TempDir static Path dir;
  private static RedisTestPki pki;
  private static RedisServer redis;
  private final Vertx vertx = Vertx.vertx();
  private final List<RedisRevocationSharing> sharings = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private LogCapture logs;

  @BeforeAll static void startRedis() throws Exception {
    pki = RedisTestPki.create(dir);
    redis = RedisServer.start(new RedisServer.Security(pki.server, pki.caFile, true, USER, PASSWORD));
  }

  @AfterAll static void stopRedis() throws Exception {
    redis.stop();
  }

  @BeforeEach void captureLogs() {
    logs = LogCapture.of("");
  }

  @AfterEach void close() throws Exception {
    for (RedisRevocationSharing sharing : sharings) sharing.close().await(5, TimeUnit.SECONDS);
    vertx.close().await();
    redis.command("FLUSHALL");
    logs.close();
    List<String> seen = new ArrayList<>(failures);
    seen.addAll(logs.lines());
    for (LogRecord record : logs.records()) {
      for (Throwable t = record.getThrown(); t != null; t = t.getCause()) seen.add(t.toString());
    }
    assertThat(seen).noneMatch(line -> line.contains(PASSWORD)).noneMatch(line -> line.contains(WRONG_PASSWORD));
  }

  private SessionRevocations replica(String password) {
    RedisConfig config = new RedisConfig(URI.create(redis.tlsUrl()), Optional.of(USER),
        Optional.of(new Secret(password, true)), new RedisConfig.Tls(Optional.of(pki.caFile),
            Optional.of(pki.client.cert()), Optional.of(pki.client.key())));
    SessionRevocations revocations = new SessionRevocations(KEEP);
    RedisRevocationSharing sharing = new RedisRevocationSharing(vertx, config, KEEP, TIMEOUT, revocations::received);
    revocations.shareThrough(sharing);
    sharings.add(sharing);
    return revocations;
  }

  @Test void replicasShareRevocationsAndClaimRevalidationsOverTlsAsTheAclUser() throws Exception {
    SessionRevocations a = replica(PASSWORD);
    SessionRevocations b = replica(PASSWORD);
    awaitSubscribers(2);
    Session s = session("s1", "sid-1");

    a.revoke(Revocation.idpSession("sid-1", Instant.now())).await(5, TimeUnit.SECONDS);

    await(() -> b.isRevoked(s), "replica b learns the revocation through its subscription");
    assertThat(redis.keys("*")).containsExactly(RedisRevocationSharing.KEY_PREFIX + "sid:sid-1");
    Session other = session("s2", null);
    assertThat(a.beginRevalidation(other, Duration.ofSeconds(5)).await(5, TimeUnit.SECONDS).claimed()).isTrue();
    assertThat(b.beginRevalidation(other, Duration.ofSeconds(5)).await(5, TimeUnit.SECONDS).claimed()).isFalse();
  }

  @Test void theSubscriptionComesBackOverTlsAfterRedisRestarts() throws Exception {
    SessionRevocations a = replica(PASSWORD);
    SessionRevocations b = replica(PASSWORD);
    awaitSubscribers(2);

    redis.stop();
    redis.startAgain();

    awaitSubscribers(2);
    a.revoke(Revocation.session("s3", Instant.now())).await(5, TimeUnit.SECONDS);
    await(() -> b.isRevoked(session("s3", null)), "b subscribed again");
  }

  @Test void aWrongPasswordFailsSharingAndTheSubscriptionWithoutShowingIt() throws Exception {
    SessionRevocations replica = replica(WRONG_PASSWORD);

    Future<Void> shared = replica.revoke(Revocation.session("s1", Instant.now()));
    await(shared::isComplete, "the share completes");
    assertThat(shared.failed()).isTrue();
    for (Throwable t = shared.cause(); t != null; t = t.getCause()) failures.add(t.toString());
    assertThat(replica.isRevoked(session("s1", null))).as("revoked here all the same").isTrue();
    await(() -> logs.lines().stream().anyMatch(line -> line.contains("subscription to the shared store at 127.0.0.1:")
        && line.contains("WRONGPASS")), "the subscription's failure is logged");
    assertThat(redis.keys("*")).isEmpty();
  }

  /** PUBLISH answers how many subscribers got the message; "ping" is not a revocation, so they ignore it. */
  private static void awaitSubscribers(int count) throws InterruptedException {
    await(() -> {
      String reply = redis.command("PUBLISH", RedisRevocationSharing.CHANNEL, "ping");
      return reply != null && reply.startsWith(":") && Integer.parseInt(reply.substring(1)) >= count;
    }, count + " subscribers");
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
      Thread.sleep(20);
    }
  }

  private static Session session(String id, String sid) {
    Instant created = Instant.now().minusSeconds(60);
    return new Session(id, "sub-1", "a@example.test", null, List.of(), false, null, sid, created, created, created,
        "refresh");
  }
}
