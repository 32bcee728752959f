package io.gatehouse.guard.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RedisConfig;
import io.gatehouse.config.Secret;
import io.gatehouse.it.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay store against a real redis-server secured as the README asks: TLS only on the port it uses, the
 * {@code default} user off, an ACL user limited to {@code gatehouse:} keys. Every failure must come back as a failed
 * call within the timeout (the guard then follows {@code replay_store_down}), and no password may reach a log line or
 * an exception message, whatever happened.
 */
class RedisReplayStoreTlsTest {
  static final String USER = "gatehouse";
  static final String PASSWORD = "PW-7c1e-acl-password-never-logged";
  private static final String WRONG_PASSWORD = "PW-wrong-9d2b-never-logged-either";
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  /** Far above TIMEOUT and the warm-up limit: a call still pending by then hangs. */
  private static final Duration NO_HANG = Duration.ofSeconds(8);

  @TempDir static Path dir;
  private static RedisTestPki pki;

  private final Vertx vertx = Vertx.vertx();
  private final List<RedisServer> servers = new ArrayList<>();
  private final List<ReplayStore> stores = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private LogCapture logs;

  @BeforeAll static void certificates() throws Exception {
    pki = RedisTestPki.create(dir);
  }

  @BeforeEach void captureLogs() {
    logs = LogCapture.of("");
  }

  @AfterEach void stop() throws Exception {
    for (ReplayStore store : stores) store.close().await();
    vertx.close().await();
    for (RedisServer server : servers) server.stop();
    logs.close();
    List<String> seen = new ArrayList<>(failures);
    seen.addAll(logs.lines());
    for (LogRecord record : logs.records()) seen.addAll(chain(record.getThrown()));
    assertThat(seen).as("log lines and failures").noneMatch(line -> line.contains(PASSWORD))
        .noneMatch(line -> line.contains(WRONG_PASSWORD));
  }

  @Test void recordsDeliveriesOverTlsLoggedInAsTheAclUser() throws Exception {
    RedisServer redis = server(false, pki.server);
    ReplayStore store = store(redis, PASSWORD, trusting(pki.caFile));

    assertThat(store.firstSeen("k1", Duration.ofMinutes(10)).await()).isTrue();
    assertThat(store.firstSeen("k1", Duration.ofMinutes(10)).await()).isFalse();
    assertThat(redis.keys("*")).containsExactly("gatehouse:replay:k1");
    // Its connections are the ACL user's: killing them by user name finds them, and the store simply reconnects.
    assertThat(Integer.parseInt(redis.command("CLIENT", "KILL", "USER", USER).substring(1))).isPositive();
    assertThat(eventually(() -> store.firstSeen("k2", Duration.ofMinutes(10)))).isTrue();
  }

  @Test void everyCallFailsQuicklyWithAWrongPasswordAndTheOutageIsLoggedOnceWithoutIt() throws Exception {
    RedisServer redis = server(false, pki.server);
    ReplayStore store = store(redis, WRONG_PASSWORD, trusting(pki.caFile));

    assertThat(failure(store.firstSeen("k1", Duration.ofMinutes(1)))).contains("WRONGPASS");
    failure(store.firstSeen("k2", Duration.ofMinutes(1)));

    assertThat(redis.keys("*")).isEmpty();
    assertThat(logs.lines()).filteredOn(line -> line.contains("replay store: redis at 127.0.0.1:"))
        .singleElement().asString().contains("cannot be used").contains("WRONGPASS");
  }

  @Test void noLoginIsRefusedByARedisWhoseDefaultUserIsOff() throws Exception {
    RedisServer redis = server(false, pki.server);
    ReplayStore store = new RedisReplayStore(vertx, new RedisConfig(URI.create(redis.tlsUrl()), Optional.empty(),
        Optional.empty(), trusting(pki.caFile)), TIMEOUT);
    stores.add(store);

    assertThat(failure(store.firstSeen("k1", Duration.ofMinutes(1)))).containsAnyOf("NOAUTH", "WRONGPASS");
  }

  @Test void aServerCertificateFromAnotherCaIsRefused() throws Exception {
    RedisServer redis = server(false, pki.server);
    ReplayStore store = store(redis, PASSWORD, trusting(pki.unrelatedCaFile()));

    assertThat(failure(store.firstSeen("k1", Duration.ofMinutes(1)))).contains("certification path");
    assertThat(redis.keys("*")).isEmpty();
  }

  @Test void withoutACaOnlyTheJvmsTrustStoreCountsNotAnySelfMadeCa() throws Exception {
    RedisServer redis = server(false, pki.server);
    ReplayStore store = store(redis, PASSWORD, RedisConfig.Tls.NONE);

    assertThat(failure(store.firstSeen("k1", Duration.ofMinutes(1)))).contains("certification path");
    assertThat(redis.keys("*")).isEmpty();
  }

  @Test void aCertificateForAnotherHostIsRefusedEvenFromTheTrustedCa() throws Exception {
    RedisServer redis = server(false, pki.serverForAnotherName());
    ReplayStore store = store(redis, PASSWORD, trusting(pki.caFile));

    assertThat(failure(store.firstSeen("k1", Duration.ofMinutes(1)))).contains("No subject alternative names");
    assertThat(redis.keys("*")).isEmpty();
  }

  @Test void aRedisThatRequiresClientCertificatesTakesOursAndRefusesAStoreWithout() throws Exception {
    RedisServer redis = server(true, pki.server);
    ReplayStore with = store(redis, PASSWORD, new RedisConfig.Tls(Optional.of(pki.caFile),
        Optional.of(pki.client.cert()), Optional.of(pki.client.key())));
    ReplayStore without = store(redis, PASSWORD, trusting(pki.caFile));

    assertThat(with.firstSeen("k1", Duration.ofMinutes(1)).await()).isTrue();
    failure(without.firstSeen("k2", Duration.ofMinutes(1)));
    assertThat(redis.keys("*")).containsExactly("gatehouse:replay:k1");
  }

  @Test void failsWhileTheServerIsDownAndWorksAgainOnceItIsBackWithoutANewStore() throws Exception {
    RedisServer redis = server(false, pki.server);
    ReplayStore store = store(redis, PASSWORD, trusting(pki.caFile));
    assertThat(store.firstSeen("before", Duration.ofMinutes(1)).await()).isTrue();

    redis.stop();
    failure(store.firstSeen("during", Duration.ofMinutes(1)));
    redis.startAgain();

    assertThat(eventually(() -> store.firstSeen("after", Duration.ofMinutes(1)))).isTrue();
    assertThat(store.firstSeen("after", Duration.ofMinutes(1)).await()).isFalse();
    assertThat(logs.lines()).anyMatch(line -> line.contains("replay store: redis at 127.0.0.1:")
        && line.contains("answers again"));
  }

  private RedisServer server(boolean requireClientCertificate, RedisTestPki.CertAndKey certificate)
      throws Exception {
    RedisServer server = RedisServer.start(new RedisServer.Security(certificate, pki.caFile,
        requireClientCertificate, USER, PASSWORD));
    servers.add(server);
    return server;
  }

  private ReplayStore store(RedisServer server, String password, RedisConfig.Tls tls) {
    RedisConfig config = new RedisConfig(URI.create(server.tlsUrl()), Optional.of(USER),
        Optional.of(new Secret(password, true)), tls);
    ReplayStore store = new RedisReplayStore(vertx, config, TIMEOUT);
    stores.add(store);
    return store;
  }

  private static RedisConfig.Tls trusting(Path ca) {
    return new RedisConfig.Tls(Optional.of(ca), Optional.empty(), Optional.empty());
  }

  /** Waits for {@code call} to fail, which it must do long before {@link #NO_HANG}; returns what it says. */
  private String failure(Future<?> call) throws InterruptedException {
    long deadline = System.nanoTime() + NO_HANG.toNanos();
    while (!call.isComplete()) {
      if (System.nanoTime() > deadline) throw new AssertionError("the call hangs");
      Thread.sleep(10);
    }
    assertThat(call.failed()).as("the call fails").isTrue();
    List<String> said = chain(call.cause());
    failures.addAll(said);
    return String.join(" / ", said);
  }

  /** The pooled client drops a broken connection when a call finds it so; the next call connects afresh. */
  private static Boolean eventually(java.util.function.Supplier<Future<Boolean>> call) throws InterruptedException {
    long deadline = System.nanoTime() + NO_HANG.toNanos();
    while (true) {
      Future<Boolean> attempt = call.get();
      while (!attempt.isComplete()) Thread.sleep(10);
      if (attempt.succeeded()) return attempt.result();
      if (System.nanoTime() > deadline) throw new AssertionError("never worked again", attempt.cause());
      Thread.sleep(100);
    }
  }

  static List<String> chain(Throwable failure) {
    List<String> out = new ArrayList<>();
    for (Throwable t = failure; t != null && out.size() < 10; t = t.getCause()) out.add(t.toString());
    return out;
  }
}
