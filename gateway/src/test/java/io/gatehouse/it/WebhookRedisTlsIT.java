package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.guard.replay.RedisServer;
import io.gatehouse.guard.replay.RedisTestPki;
import io.gatehouse.guard.signature.TestHmacScheme;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways whose replay store is the top-level {@code redis} section: {@code rediss://}, an ACL user whose
 * password comes from {@code ${file:}}, a CA and a client certificate, in front of a redis-server that speaks only
 * TLS, asks for client certificates and has its default user off. Replicas share it; while it is down a signed
 * webhook gets 503 {@code store_unavailable} with {@code Retry-After}; it comes back without a restart; and the
 * password is in no log line.
 */
class WebhookRedisTlsIT {
  private static final String PATH = "/webhook/claims-intake";
  private static final String USER = "gatehouse";
  private static final String PASSWORD = "PW-e41d-gateway-acl-password";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static LogCapture logs;
  private static Vertx vertx;
  private static RedisServer redis;
  private static TestUpstream upstream;
  private static GatewayHarness first;
  private static GatewayHarness second;

  static String config(String url, Path passwordFile, RedisTestPki pki) {
    return """
        webhooks:
          - path: "/webhook/claims-intake"
            scheme: "github"
            secrets: ["claims-secret-0123456789abcdef"]
        redis:
          url: "%s"
          username: "%s"
          password: "${file:%s}"
          tls: { ca: "%s", cert: "%s", key: "%s" }
        replay:
          store: "redis"
          timeout: "500ms"
        routes:
          - name: "webhooks"
            match: ["/webhook/"]
            upstream: "main"
            allow: ["127.0.0.0/8"]
            signature: "required"
        """.formatted(url, USER, passwordFile, pki.caFile, pki.client.cert(), pki.client.key());
  }

  @BeforeAll
  static void start() throws Exception {
    logs = LogCapture.of("");
    vertx = Vertx.vertx();
    RedisTestPki pki = RedisTestPki.create(dir);
    redis = RedisServer.start(new RedisServer.Security(pki.server, pki.caFile, true, USER, PASSWORD));
    Path passwordFile = Files.writeString(dir.resolve("redis-password"), PASSWORD + "\n");
    upstream = new TestUpstream(vertx);
    String yaml = config(redis.tlsUrl(), passwordFile, pki);
    first = GatewayHarness.start(upstream.url(), yaml, "", GatewayHarness.Options.DEFAULTS,
        webhook -> new TestHmacScheme());
    second = GatewayHarness.start(upstream.url(), yaml, "", GatewayHarness.Options.DEFAULTS,
        webhook -> new TestHmacScheme());
  }

  @AfterAll
  static void stop() throws Exception {
    first.close();
    second.close();
    upstream.close();
    vertx.close().await();
    redis.close();
    logs.close();
    assertThat(logs.lines()).noneMatch(line -> line.contains(PASSWORD));
    for (LogRecord record : logs.records()) {
      for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
        assertThat(t.toString()).doesNotContain(PASSWORD);
      }
    }
  }

  @BeforeEach
  void clear() {
    upstream.clear();
  }

  @Test
  void replicasShareTheReplayStoreOverTlsAsTheAclUser() throws Exception {
    Map<String, String> headers = signed("{\"n\":1}", "tls-delivery-1");
    assertThat(send(first, headers, "{\"n\":1}").statusCode()).isEqualTo(200);
    upstream.clear();

    assertRefused(send(second, headers, "{\"n\":1}"), 409, "replayed");
    assertThat(redis.keys("gatehouse:replay:*")).isNotEmpty().allMatch(k -> k.matches("gatehouse:replay:[0-9a-f]{64}"));
  }

  @Test
  void whileRedisIsDownASignedWebhookGets503WithRetryAfterAndPassesOnceItIsBack() throws Exception {
    redis.stop();
    try {
      HttpResponse<String> refused = send(first, signed("{}", "tls-outage-1"), "{}");
      assertRefused(refused, 503, "store_unavailable");
      assertThat(refused.headers().firstValue("Retry-After")).contains("5");
      assertThat(first.metrics()).containsPattern("gatehouse_replay_store_errors_total\\{store=\"redis\"} [1-9]");
      assertThat(logs.lines()).anyMatch(line -> line.contains("replay store: redis at 127.0.0.1:")
          && line.contains("cannot be used"));
    } finally {
      redis.startAgain();
    }
    Map<String, String> retry = signed("{}", "tls-outage-1");
    assertThat(eventuallyAccepted(retry)).isEqualTo(200);
    upstream.clear();
    assertRefused(send(second, retry, "{}"), 409, "replayed");
  }

  /** The first call after the restart may find a connection the pool has not dropped yet; the sender retries. */
  private static int eventuallyAccepted(Map<String, String> headers) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      HttpResponse<String> reply = send(first, headers, "{}");
      if (reply.statusCode() != 503 || System.nanoTime() > deadline) return reply.statusCode();
      Thread.sleep(200);
    }
  }

  private static void assertRefused(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo(code);
    assertThat(upstream.seen()).isEmpty();
  }

  private static HttpResponse<String> send(GatewayHarness gateway, Map<String, String> headers, String body)
      throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(gateway.url(PATH)))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    return gateway.http().send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> signed(String body, String id) {
    return WebhookSignatureIT.signed(body.getBytes(StandardCharsets.UTF_8), id);
  }
}
