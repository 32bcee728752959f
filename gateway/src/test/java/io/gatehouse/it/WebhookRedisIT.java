package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.guard.replay.RedisServer;
import io.gatehouse.guard.signature.TestHmacScheme;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways sharing one real redis-server as their replay store, as replicas behind a load balancer do: a
 * delivery accepted by one is a replay at the other. Redis stopped: each route follows its
 * {@code replay_store_down}; Redis started again on the same port: shared again, without restarting a gateway.
 */
class WebhookRedisIT {
  static final String CLOSED = "/webhook/claims-intake";
  static final String OPEN = "/webhook-open/claims";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Vertx vertx;
  private static RedisServer redis;
  private static TestUpstream upstream;
  private static GatewayHarness first;
  private static GatewayHarness second;
  private static int deliveries;

  static String config(String redisUrl) {
    return """
        webhooks:
          - path: "/webhook/claims-intake"
            scheme: "github"
            secrets: ["claims-secret-0123456789abcdef"]
          - path: "/webhook-open/claims"
            scheme: "github"
            secrets: ["claims-secret-0123456789abcdef"]
        replay:
          store: "redis"
          redis: "%s"
          timeout: "500ms"
        routes:
          - name: "webhooks"
            match: ["/webhook/"]
            upstream: "main"
            allow: ["127.0.0.0/8"]
            signature: "required"
          - name: "open-webhooks"
            match: ["/webhook-open/"]
            upstream: "main"
            allow: ["127.0.0.0/8"]
            signature: "required"
            replay_store_down: "allow"
        """.formatted(redisUrl);
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    redis = RedisServer.start();
    upstream = new TestUpstream(vertx);
    first = GatewayHarness.start(upstream.url(), config(redis.url()), "", GatewayHarness.Options.DEFAULTS,
        webhook -> new TestHmacScheme());
    second = GatewayHarness.start(upstream.url(), config(redis.url()), "", GatewayHarness.Options.DEFAULTS,
        webhook -> new TestHmacScheme());
  }

  @AfterAll
  static void stop() throws Exception {
    first.close();
    second.close();
    upstream.close();
    vertx.close().await();
    redis.close();
  }

  @BeforeEach
  void clear() {
    upstream.clear();
  }

  @Test
  void replayOfADeliveryAcceptedByOneGatewayIsRefusedByTheOther() throws Exception {
    Map<String, String> headers = signed("{\"n\":1}", nextId());
    assertThat(send(first, CLOSED, headers, "{\"n\":1}").statusCode()).isEqualTo(200);
    upstream.clear();
    HttpResponse<String> replay = send(second, CLOSED, headers, "{\"n\":1}");
    assertRefused(replay, 409, "replayed");
    assertThat(second.accessRecord(replay.headers().firstValue("X-Request-Id").orElseThrow()).get("reason").asText())
        .isEqualTo("replayed");
    assertThat(redis.keys("gatehouse:replay:*")).allMatch(k -> k.matches("gatehouse:replay:[0-9a-f]{64}"));
  }

  @Test
  void redisDownFollowsEachRoutesPolicyAndSharingResumesWhenItReturns() throws Exception {
    redis.stop();
    try {
      // Fail closed (the default): a valid delivery is refused with 503 and Retry-After, so the sender retries
      // later; n8n never sees it.
      HttpResponse<String> refused = send(first, CLOSED, signed("{}", "outage-1"), "{}");
      assertRefused(refused, 503, "store_unavailable");
      assertThat(refused.headers().firstValue("Retry-After")).contains("5");
      assertThat(first.accessRecord(refused.headers().firstValue("X-Request-Id").orElseThrow()).get("detail").asText())
          .contains("replay store redis unavailable");
      // replay_store_down: allow: a valid delivery goes through unchecked; a forged one is still refused.
      assertThat(send(second, OPEN, signed("{}", "outage-2"), "{}").statusCode()).isEqualTo(200);
      assertThat(upstream.seen()).hasSize(1);
      upstream.clear();
      assertRefused(send(second, OPEN, Map.of(TestHmacScheme.SIGNATURE, "00", TestHmacScheme.ID, "x"), "{}"), 401,
          "signature_invalid");
      assertThat(first.metrics()).containsPattern("gatehouse_replay_store_errors_total\\{store=\"redis\"} [1-9]");
      assertThat(second.metrics()).containsPattern(
          "gatehouse_webhook_verifications_total\\{result=\"unchecked\",webhook=\"/webhook-open/claims\"} [1-9]");
    } finally {
      redis.startAgain();
    }
    // Back, on the same port, with neither gateway restarted: the refused delivery's retry now passes, and
    // replicas share the store again.
    Map<String, String> retry = signed("{}", "outage-1");
    assertThat(send(first, CLOSED, retry, "{}").statusCode()).isEqualTo(200);
    upstream.clear();
    assertRefused(send(second, CLOSED, retry, "{}"), 409, "replayed");
  }

  // --- helpers ---

  private static void assertRefused(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo(code);
    assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(upstream.seen()).isEmpty();
  }

  private static HttpResponse<String> send(GatewayHarness gateway, String path, Map<String, String> headers,
      String body) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(gateway.url(path)))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    return gateway.http().send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> signed(String body, String id) {
    return WebhookSignatureIT.signed(body.getBytes(StandardCharsets.UTF_8), id);
  }

  private static synchronized String nextId() {
    return "redis-delivery-" + (++deliveries) + "-" + System.nanoTime();
  }
}
