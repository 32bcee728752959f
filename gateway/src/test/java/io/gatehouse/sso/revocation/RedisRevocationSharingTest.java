package io.gatehouse.sso.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RedisConfig;
import io.gatehouse.guard.replay.RedisServer;
import io.gatehouse.sso.session.Session;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replicas sharing revocations through a real redis-server: what one revokes the others learn at once, also when
 * they subscribe later or after an outage, and only one of them claims a due revalidation.
 */
class RedisRevocationSharingTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final Duration KEEP = Duration.ofHours(1);
  private static RedisServer redis;
  private final Vertx vertx = Vertx.vertx();
  private final List<AutoCloseable> replicas = new ArrayList<>();

  @BeforeAll static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll static void stopRedis() throws Exception {
    redis.stop();
  }

  @AfterEach void close() throws Exception {
    for (AutoCloseable replica : replicas) replica.close();
    vertx.close().await();
    redis.command("FLUSHALL");
  }

  /** One replica's revocations, shared through the test's Redis. */
  private SessionRevocations replica() {
    SessionRevocations revocations = new SessionRevocations(KEEP);
    RedisRevocationSharing sharing = new RedisRevocationSharing(vertx, RedisConfig.ofUrl(URI.create(redis.url())),
        KEEP, TIMEOUT, revocations::received);
    revocations.shareThrough(sharing);
    replicas.add(() -> sharing.close().await(5, TimeUnit.SECONDS));
    return revocations;
  }

  @Test void whatOneReplicaRevokesTheOthersLearnAtOnceAndTheKeyLivesAsLongAsASession() throws Exception {
    SessionRevocations a = replica();
    SessionRevocations b = replica();
    awaitSubscribers(2);
    Session s = session("s1", "sid-1", "sub-1");

    a.revoke(Revocation.idpSession("sid-1", Instant.now())).await(5, TimeUnit.SECONDS);

    assertThat(a.isRevoked(s)).isTrue();
    await(() -> b.isRevoked(s), "replica b learns the revocation");
    long ttl = Long.parseLong(redis.command("PTTL", RedisRevocationSharing.KEY_PREFIX + "sid:sid-1").substring(1));
    assertThat(ttl).isBetween(KEEP.toMillis() - 60_000, KEEP.toMillis());
  }

  @Test void aReplicaThatSubscribesLaterReadsWhatWasRevokedBefore() throws Exception {
    SessionRevocations a = replica();
    Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    a.revoke(Revocation.session("s1", at)).await(5, TimeUnit.SECONDS);
    a.revoke(Revocation.subject("sub-2", at)).await(5, TimeUnit.SECONDS);

    SessionRevocations late = replica();

    await(() -> late.isRevoked(session("s1", null, "sub-1")), "the session revoked before it subscribed");
    await(() -> late.isRevoked(session("s9", null, "sub-2")), "the subject revoked before it subscribed");
    assertThat(late.isRevoked(session("s8", null, "sub-3"))).isFalse();
  }

  @Test void onlyOneReplicaClaimsADueRevalidationAndEachLearnsTheSessionsRevocationsFromIt() throws Exception {
    SessionRevocations a = replica();
    SessionRevocations b = replica();
    Session s = session("s1", "sid-1", "sub-1");

    var first = a.beginRevalidation(s, Duration.ofSeconds(2)).await(5, TimeUnit.SECONDS);
    var second = b.beginRevalidation(s, Duration.ofSeconds(2)).await(5, TimeUnit.SECONDS);

    assertThat(first.claimed()).isTrue();
    assertThat(second.claimed()).as("held by a").isFalse();
    assertThat(first.known()).isEmpty();

    // A revocation whose message b missed (written straight into Redis) is found when b revalidates.
    redis.command("SET", RedisRevocationSharing.KEY_PREFIX + "sid:sid-2", "1");
    Session other = session("s2", "sid-2", "sub-1");
    var found = b.beginRevalidation(other, Duration.ofSeconds(2)).await(5, TimeUnit.SECONDS);
    assertThat(found.known()).extracting(Revocation::kind).containsExactly(Revocation.Kind.IDP_SESSION);
    assertThat(b.isRevoked(other)).isTrue();
    Thread.sleep(2_100);
    assertThat(b.beginRevalidation(s, Duration.ofSeconds(2)).await(5, TimeUnit.SECONDS).claimed())
        .as("the hold expired").isTrue();
  }

  @Test void whileRedisIsDownSharingFailsFastAndAfterItComesBackTheSubscriptionResumes() throws Exception {
    SessionRevocations a = replica();
    SessionRevocations b = replica();
    awaitSubscribers(2);
    redis.stop();
    try {
      var failed = a.revoke(Revocation.session("s1", Instant.now()));
      await(failed::isComplete, "the share completes");
      assertThat(failed.failed()).isTrue();
      assertThat(a.isRevoked(session("s1", null, "sub-1"))).as("revoked here all the same").isTrue();
      var revalidation = b.beginRevalidation(session("s2", null, "sub-1"), Duration.ofSeconds(2));
      await(revalidation::isComplete, "the claim completes");
      assertThat(revalidation.failed()).isTrue();
    } finally {
      redis.startAgain();
    }
    awaitSubscribers(2);
    a.revoke(Revocation.session("s3", Instant.now())).await(5, TimeUnit.SECONDS);
    await(() -> b.isRevoked(session("s3", null, "sub-1")), "b subscribed again");
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

  private static Session session(String id, String sid, String subject) {
    Instant created = Instant.now().minusSeconds(60);
    return new Session(id, subject, "a@example.test", null, List.of(), false, null, sid, created, created, created,
        "refresh");
  }
}
