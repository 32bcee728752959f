package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.guard.replay.RedisServer;
import io.gatehouse.guard.replay.RedisTestPki;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways sharing one real redis-server for rate limits and lockouts, as replicas do, over TLS as an ACL user
 * limited to {@code gatehouse:} keys and channels (the server speaks only TLS, asks for client certificates and has
 * its default user off): one limit enforced together, accurately over 10 s; failures at either adding up to one
 * lockout that both enforce; Redis stopped: each route follows its {@code on_store_failure}; started again: shared
 * again, neither gateway restarted.
 */
class RateLimitRedisIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER = "gatehouse";
  private static final String PASSWORD = "PW-7c2a-rate-limit-acl-password";

  @TempDir static Path dir;

  private static Vertx vertx;
  private static RedisServer redis;
  private static TestUpstream upstream;
  private static GatewayHarness first;
  private static GatewayHarness second;
  private static int clients;

  static String config(String redisUrl, Path passwordFile, RedisTestPki pki) {
    return """
        redis:
          url: "%s"
          username: "%s"
          password: "${file:%s}"
          tls: { ca: "%s", cert: "%s", key: "%s" }
        rate_limits:
          store: "redis"
          timeout: "300ms"
          lockout: { failures: 3, within: "1m", ban: "1m" }
        routes:
          - name: "webhooks"
            match: ["/webhook/"]
            upstream: "main"
            allow: ["0.0.0.0/0"]
            rate_limit: { key: "client_ip", rate: "1/h", burst: 4 }
          - name: "steady"
            match: ["/steady/"]
            upstream: "main"
            allow: ["0.0.0.0/0"]
            rate_limit: { key: "route", rate: "20/s", burst: 10 }
          - name: "lenient"
            match: ["/lenient/"]
            upstream: "main"
            allow: ["0.0.0.0/0"]
            rate_limit: { key: "client_ip", rate: "1/h", burst: 1 }
            on_store_failure: "allow"
          - name: "api"
            match: ["/api/v1/"]
            upstream: "main"
            allow: ["0.0.0.0/0"]
            auth: "n8n-api-key"
        """.formatted(redisUrl, USER, passwordFile, pki.caFile, pki.client.cert(), pki.client.key());
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    RedisTestPki pki = RedisTestPki.create(dir);
    redis = RedisServer.start(new RedisServer.Security(pki.server, pki.caFile, true, USER, PASSWORD));
    Path passwordFile = Files.writeString(dir.resolve("redis-password"), PASSWORD + "\n");
    upstream = new TestUpstream(vertx);
    String proxy = "  trusted_proxies: [\"127.0.0.1/32\"]\n";
    String yaml = config(redis.tlsUrl(), passwordFile, pki);
    first = GatewayHarness.start(upstream.url(), yaml, proxy);
    second = GatewayHarness.start(upstream.url(), yaml, proxy);
  }

  @AfterAll
  static void stop() throws Exception {
    first.close();
    second.close();
    upstream.close();
    vertx.close().await();
    redis.close();
  }

  @Test
  void twoGatewaysEnforceOneLimitTogether() throws Exception {
    String client = nextClient();
    for (int i = 0; i < 4; i++) {
      assertThat(get(i % 2 == 0 ? first : second, "/webhook/x", client, Map.of()).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> refused = get(second, "/webhook/x", client, Map.of());
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("RateLimit-Policy")).contains("\"client_ip\";q=4;w=14400");
    assertThat(get(first, "/webhook/x", client, Map.of()).statusCode()).isEqualTo(429);
    assertThat(redis.keys("gatehouse:rl:*")).contains("gatehouse:rl:webhooks:client_ip:ip:" + client);
  }

  @Test
  void overTenSecondsTwoGatewaysTogetherAllowRateTimesTimePlusBurstWithinOneBurst() throws Exception {
    // 20/s with a bucket of 10, offered at about 60/s by four clients alternating between the gateways.
    java.util.concurrent.atomic.AtomicInteger allowed = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger offered = new java.util.concurrent.atomic.AtomicInteger();
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(10).toNanos();
    java.util.List<Thread> clients = new java.util.ArrayList<>();
    for (int c = 0; c < 4; c++) {
      GatewayHarness gateway = c % 2 == 0 ? first : second;
      String client = nextClient();
      Thread thread = new Thread(() -> {
        while (System.nanoTime() < end) {
          long next = System.nanoTime() + Duration.ofMillis(66).toNanos();
          if (status(gateway, "/steady/x", client, Map.of()) == 200) allowed.incrementAndGet();
          offered.incrementAndGet();
          long wait = next - System.nanoTime();
          if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
      });
      thread.start();
      clients.add(thread);
    }
    for (Thread t : clients) t.join();
    double seconds = (System.nanoTime() - start) / 1e9;
    double expected = 20 * seconds + 10;
    assertThat(offered.get()).as("offered well over the rate").isGreaterThan((int) (30 * seconds));
    assertThat((double) allowed.get()).as("allowed of %d over %.2f s", offered.get(), seconds)
        .isBetween(expected - 10, expected);
  }

  @Test
  void failuresAtEitherGatewayAddUpToOneLockoutThatBothEnforce() throws Exception {
    String guesser = nextClient();
    assertThat(get(first, "/api/v1/x", guesser, Map.of()).statusCode()).isEqualTo(401);
    assertThat(get(second, "/api/v1/x", guesser, Map.of()).statusCode()).isEqualTo(401);
    assertThat(get(first, "/api/v1/x", guesser, Map.of()).statusCode()).isEqualTo(401);
    Map<String, String> key = Map.of("X-N8N-API-KEY", "right");
    GatewayHarness.awaitTrue(() -> status(first, "/api/v1/x", guesser, key) == 429
        && status(second, "/api/v1/x", guesser, key) == 429,
        Duration.ofSeconds(5), "both gateways refuse the locked-out source");
    HttpResponse<String> locked = get(second, "/api/v1/x", guesser, key);
    assertThat(JSON.readTree(locked.body()).get("error").asText()).isEqualTo("locked_out");
    long retryAfter = Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(50L, 60L);
    assertThat(second.auditEntry("lockout", e -> guesser.equals(e.path("source").asText())).get("event").asText())
        .isEqualTo("start");
  }

  @Test
  void redisDownFollowsEachRoutesPolicyAndSharingResumesWhenItReturns() throws Exception {
    String client = nextClient();
    assertThat(get(first, "/lenient/x", client, Map.of()).statusCode()).isEqualTo(200);
    assertThat(get(second, "/lenient/x", client, Map.of()).statusCode()).isEqualTo(429);
    redis.stop();
    try {
      HttpResponse<String> denied = get(first, "/webhook/x", nextClient(), Map.of());
      assertThat(denied.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(denied.body()).get("error").asText()).isEqualTo("store_unavailable");
      assertThat(denied.headers().firstValue("Retry-After")).contains("5");
      assertThat(first.accessRecord(denied.headers().firstValue("X-Request-Id").orElseThrow()).get("reason")
          .asText()).isEqualTo("store_unavailable");
      assertThat(get(second, "/lenient/x", client, Map.of()).statusCode()).as("on_store_failure: allow")
          .isEqualTo(200);
      assertThat(first.metrics()).containsPattern(
          "gatehouse_rate_limit_store_errors_total\\{policy=\"deny\",route=\"webhooks\",store=\"redis\"} [1-9]");
      assertThat(second.metrics()).containsPattern(
          "gatehouse_rate_limit_store_errors_total\\{policy=\"allow\",route=\"lenient\",store=\"redis\"} [1-9]");
    } finally {
      redis.startAgain();
    }
    // An empty Redis: the buckets start full again, and are shared again.
    String after = nextClient();
    GatewayHarness.awaitTrue(() -> status(first, "/lenient/x", after, Map.of()) == 200, Duration.ofSeconds(10),
        "the first gateway uses Redis again");
    assertThat(get(second, "/lenient/x", after, Map.of()).statusCode()).isEqualTo(429);
  }

  // --- helpers ---

  /** The status of one GET, or -1 when none came (for polling). */
  private static int status(GatewayHarness gateway, String path, String client, Map<String, String> headers) {
    try {
      return get(gateway, path, client, headers).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static synchronized String nextClient() {
    int n = ++clients;
    return "198.18." + (n >> 8) + "." + (n & 0xff);
  }

  private static HttpResponse<String> get(GatewayHarness gateway, String path, String client,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(gateway.url(path)))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json")
        .header("X-Forwarded-For", client);
    headers.forEach(builder::header);
    return gateway.http().send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
