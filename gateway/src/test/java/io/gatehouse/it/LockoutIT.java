package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lockout on a real gateway (local store): failed authentications from one source lock it out of the routes
 * that check credentials, with the right key or not, for the ban, and it comes back on time; the start and the end
 * are audit events, and another source is never affected.
 */
class LockoutIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTES = """
      rate_limits:
        lockout: { failures: 3, within: "1m", ban: "3s" }
      routes:
        - name: "api"
          match: ["/api/v1/"]
          upstream: "main"
          allow: ["0.0.0.0/0", "::/0"]
          auth: "n8n-api-key"
        - name: "open"
          match: ["/open/"]
          upstream: "main"
          allow: ["0.0.0.0/0", "::/0"]
      """;

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), ROUTES, "  trusted_proxies: [\"127.0.0.1/32\"]\n");
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @Test
  void failedAuthenticationsLockASourceOutForTheBanAndItComesBackOnTime() throws Exception {
    String guesser = "203.0.113.50";
    Map<String, String> goodKey = Map.of("X-N8N-API-KEY", "the-right-key");
    for (int i = 0; i < 3; i++) {
      assertThat(get("/api/v1/workflows", guesser, Map.of()).statusCode()).isEqualTo(401);
    }
    Instant lockedAt = Instant.now();
    upstream.clear();
    HttpResponse<String> locked = get("/api/v1/workflows", guesser, goodKey);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(locked.body()).get("error").asText()).isEqualTo("locked_out");
    assertThat(locked.headers().firstValue("Retry-After")).contains("3");
    assertThat(upstream.seen()).as("a locked-out request never reaches n8n").isEmpty();
    assertThat(gateway.accessRecord(locked.headers().firstValue("X-Request-Id").orElseThrow()).get("reason").asText())
        .isEqualTo("locked_out");
    assertThat(get("/open/x", guesser, Map.of()).statusCode()).as("a route without credentials stays open")
        .isEqualTo(200);
    assertThat(get("/api/v1/workflows", "203.0.113.51", goodKey).statusCode()).as("another source").isEqualTo(200);

    JsonNode start = gateway.auditEntry("lockout", e -> "start".equals(e.path("event").asText())
        && guesser.equals(e.path("source").asText()));
    assertThat(start.get("failures").asInt()).isEqualTo(3);
    assertThat(gateway.metrics()).containsPattern("gatehouse_lockouts_total\\{kind=\"source\"} 1");

    // Still locked just before the ban ends, let in again just after it.
    long sinceLock = Duration.between(lockedAt, Instant.now()).toMillis();
    Thread.sleep(Math.max(0, 2500 - sinceLock));
    assertThat(get("/api/v1/workflows", guesser, goodKey).statusCode()).isEqualTo(429);
    Thread.sleep(1000);
    assertThat(get("/api/v1/workflows", guesser, goodKey).statusCode()).isEqualTo(200);
    JsonNode end = gateway.auditEntry("lockout", e -> "end".equals(e.path("event").asText())
        && guesser.equals(e.path("source").asText()));
    Instant endedAt = Instant.parse(end.get("time").asText());
    assertThat(Duration.between(Instant.parse(start.get("time").asText()), endedAt).toMillis())
        .as("the end is recorded when the ban ran out").isBetween(2900L, 4500L);
  }

  @Test
  void fewerFailuresThanTheThresholdDoNotLockOut() throws Exception {
    String client = "203.0.113.60";
    assertThat(get("/api/v1/workflows", client, Map.of()).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/workflows", client, Map.of()).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/workflows", client, Map.of("X-N8N-API-KEY", "k")).statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> get(String path, String client, Map<String, String> headers) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(gateway.url(path)))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json")
        .header("X-Forwarded-For", client);
    headers.forEach(builder::header);
    return gateway.http().send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
