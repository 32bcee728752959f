package io.gatehouse.sso.jwt;

import static io.gatehouse.sso.jwt.TestTokens.ISSUER;
import static io.gatehouse.sso.jwt.TestTokens.claims;
import static io.gatehouse.sso.jwt.TestTokens.header;
import static io.gatehouse.sso.jwt.TestTokens.jws;
import static io.gatehouse.sso.jwt.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A forged or unknown token never reaches the IdP, except one shared JWKS re-fetch per 30 s for an unknown kid. */
class JwksRefetchPolicyTest {
  private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
  private static final TestKey CURRENT = TestKey.rsa("current");
  private static final TestKey ROTATED_IN = TestKey.p256("rotated-in");

  private final MutableClock clock = new MutableClock(NOW);
  private final CountingJwksSource source = new CountingJwksSource(List.of(CURRENT.jwk()));
  private final JwtVerifier verifier = new JwtVerifier(ISSUER, source, Duration.ofSeconds(30), clock);

  @Test
  void anUnknownKidFetchesOnceThenNotAgainWithin30SecondsThenOnceMore() throws Exception {
    verifier.refresh().await(5, TimeUnit.SECONDS);
    clock.advance(Duration.ofSeconds(31));

    assertThat(reason(verifier.verify(token("RS256", TestKey.rsa("unknown-1"), claims(clock.instant())))))
        .isEqualTo(JwtRefusal.UNKNOWN_KEY);
    assertThat(source.fetches()).as("startup + one for the miss").isEqualTo(2);

    clock.advance(Duration.ofSeconds(29));
    assertThat(reason(verifier.verify(token("RS256", TestKey.rsa("unknown-2"), claims(clock.instant())))))
        .isEqualTo(JwtRefusal.UNKNOWN_KEY);
    assertThat(source.fetches()).as("a second unknown kid within 30 s").isEqualTo(2);

    clock.advance(Duration.ofSeconds(1));
    assertThat(reason(verifier.verify(token("RS256", TestKey.rsa("unknown-3"), claims(clock.instant())))))
        .isEqualTo(JwtRefusal.UNKNOWN_KEY);
    assertThat(source.fetches()).as("30 s later, one more").isEqualTo(3);
  }

  @Test
  void aKeyTheIdpRotatedInIsFoundByTheRefetchItsFirstTokenCauses() throws Exception {
    verifier.refresh().await(5, TimeUnit.SECONDS);
    source.publish(List.of(CURRENT.jwk(), ROTATED_IN.jwk()));
    clock.advance(Duration.ofMinutes(5));

    Future<JwtResult> result = verifier.verify(token("ES256", ROTATED_IN, claims(clock.instant())));

    assertThat(result.await(5, TimeUnit.SECONDS)).isInstanceOf(JwtResult.Verified.class);
    assertThat(source.fetches()).isEqualTo(2);
    assertThat(verifier.verify(token("ES256", ROTATED_IN, claims(clock.instant()))).isComplete()).isTrue();
  }

  @Test
  void aMissBeforeAnyFetchFetchesAtOnce() throws Exception {
    Future<JwtResult> result = verifier.verify(token("RS256", CURRENT, claims(NOW)));

    assertThat(result.await(5, TimeUnit.SECONDS)).isInstanceOf(JwtResult.Verified.class);
    assertThat(source.fetches()).isEqualTo(1);
  }

  @Test
  void forgedTokensWithAKnownKidNeverFetch() throws Exception {
    verifier.refresh().await(5, TimeUnit.SECONDS);
    clock.advance(Duration.ofMinutes(5));
    String claims = claims(clock.instant());
    TestKey attacker = TestKey.rsa("current");

    List<String> forged = List.of(
        token("RS256", attacker, claims),
        jws(header("HS256", "current"), claims, TestTokens.hmacSha256(CURRENT.pair().getPublic().getEncoded())),
        jws(header("none", "current"), claims, input -> new byte[0]),
        jws(header("ES256", "current"), claims, TestTokens.signer("ES256", ROTATED_IN.pair().getPrivate())),
        token("RS256", CURRENT, claims(clock.instant().minus(Duration.ofHours(1)))),
        token("RS256", CURRENT, claims.replace(ISSUER, "https://evil.example")),
        jws(header("RS256", null), claims, TestTokens.signer("RS256", attacker.pair().getPrivate())));
    for (String token : forged) {
      Future<JwtResult> result = verifier.verify(token);
      assertThat(result.isComplete()).isTrue();
      assertThat(result.result()).isInstanceOf(JwtResult.Refused.class);
    }

    assertThat(source.fetches()).isEqualTo(1);
  }

  @Test
  void aHundredConcurrentUnknownKidVerificationsShareOneFetch() throws Exception {
    verifier.refresh().await(5, TimeUnit.SECONDS);
    clock.advance(Duration.ofMinutes(1));
    source.hold();
    source.publish(List.of(CURRENT.jwk(), ROTATED_IN.jwk()));
    String token = token("ES256", ROTATED_IN, claims(clock.instant()));
    List<Future<JwtResult>> results = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Void>> submitted = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        submitted.add(CompletableFuture.runAsync(() -> {
          awaitQuietly(start);
          results.add(verifier.verify(token));
        }, threads));
      }
      start.countDown();
      CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }

    assertThat(results).hasSize(100).noneMatch(Future::isComplete);
    assertThat(source.fetches()).isEqualTo(2);
    source.releaseHeld();
    for (Future<JwtResult> result : results) {
      assertThat(result.await(5, TimeUnit.SECONDS)).isInstanceOf(JwtResult.Verified.class);
    }
    assertThat(source.fetches()).isEqualTo(2);
  }

  @Test
  void aFailedFetchKeepsTheCachedKeysAndTheMissIsUnknownKey() throws Exception {
    verifier.refresh().await(5, TimeUnit.SECONDS);
    source.failWith(new IOException("IdP down"));
    clock.advance(Duration.ofMinutes(1));

    assertThat(reason(verifier.verify(token("RS256", TestKey.rsa("new"), claims(clock.instant())))))
        .isEqualTo(JwtRefusal.UNKNOWN_KEY);
    assertThat(verifier.refresh().await(5, TimeUnit.SECONDS)).isNull();
    assertThat(verifier.verify(token("RS256", CURRENT, claims(clock.instant()))).result())
        .isInstanceOf(JwtResult.Verified.class);
    assertThat(verifier.cachedKeyCount()).isEqualTo(1);
  }

  @Test
  void aFetchWithNoUsableKeyKeepsTheCachedKeys() throws Exception {
    verifier.refresh().await(5, TimeUnit.SECONDS);
    source.publish(List.of());
    verifier.refresh().await(5, TimeUnit.SECONDS);

    assertThat(verifier.cachedKeyCount()).isEqualTo(1);
    assertThat(verifier.verify(token("RS256", CURRENT, claims(NOW))).result()).isInstanceOf(JwtResult.Verified.class);
  }

  @Test
  void aSourceThatThrowsIsAFailedFetch() throws Exception {
    JwtVerifier broken = new JwtVerifier(ISSUER, () -> {
      throw new IllegalStateException("bug");
    }, Duration.ZERO, clock);

    assertThat(reason(broken.verify(token("RS256", CURRENT, claims(NOW))))).isEqualTo(JwtRefusal.UNKNOWN_KEY);
  }

  @Test
  void aContinuationAfterARefetchRunsOnTheCallersContext() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      source.hold();
      Context caller = vertx.getOrCreateContext();
      CompletableFuture<Boolean> sameContext = new CompletableFuture<>();
      caller.runOnContext(v -> verifier.verify(token("RS256", CURRENT, claims(NOW)))
          .onComplete(ar -> sameContext.complete(Vertx.currentContext() == caller && ar.succeeded()
              && ar.result() instanceof JwtResult.Verified)));
      waitForFetches(1);
      source.releaseHeld(); // completes on this (non-Vert.x) thread

      assertThat(sameContext.get(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  private void waitForFetches(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (source.fetches() < count && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
    assertThat(source.fetches()).isEqualTo(count);
  }

  private static JwtRefusal reason(Future<JwtResult> result) throws Exception {
    JwtResult outcome = result.await(5, TimeUnit.SECONDS);
    assertThat(outcome).isInstanceOf(JwtResult.Refused.class);
    return ((JwtResult.Refused) outcome).reason();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
