package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits on a real gateway with the local store, behind a trusted proxy so each test picks its client address
 * with {@code X-Forwarded-For}: refusals answer 429 with the wait and the draft RateLimit fields, never reach the
 * upstream, and are audited and counted.
 */
class RateLimitIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTES = """
      rate_limits:
        ipv6_prefix: 64
      routes:
        - name: "limited"
          match: ["/limited/"]
          upstream: "main"
          allow: ["0.0.0.0/0", "::/0"]
          rate_limit: { key: "client_ip", rate: "1/m", burst: 3 }
        - name: "shared"
          match: ["/shared/"]
          upstream: "main"
          allow: ["0.0.0.0/0", "::/0"]
          rate_limit:
            - { key: "client_ip", rate: "100/s", burst: 100 }
            - { key: "route", rate: "1/h", burst: 2 }
        - name: "tenants"
          match: ["/tenants/"]
          upstream: "main"
          allow: ["0.0.0.0/0", "::/0"]
          rate_limit: { key: "header:X-Tenant", rate: "1/h", burst: 1 }
        - name: "api"
          match: ["/api/v1/"]
          upstream: "main"
          allow: ["0.0.0.0/0", "::/0"]
          auth: "n8n-api-key"
          rate_limit: { key: "identity", rate: "1/h", burst: 2 }
      """;

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;
  private static int clients;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), ROUTES, "  trusted_proxies: [\"127.0.0.1/32\", \"::1/128\"]\n");
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach
  void clear() {
    upstream.clear();
  }

  @Test
  void pastTheBurstAClientIsRefused429WithTheRealWaitAndTheRateLimitFields() throws Exception {
    String client = nextClient();
    for (int i = 0; i < 3; i++) assertThat(get("/limited/x", client, Map.of()).statusCode()).isEqualTo(200);
    assertThat(upstream.seen()).hasSize(3);
    upstream.clear();
    HttpResponse<String> refused = get("/limited/x", client, Map.of());
    assertRefused(refused, 429, "rate_limited");
    // One token a minute, the bucket empty: the next token is under 60 s away, a full bucket under 180 s.
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(55L, 60L);
    assertThat(refused.headers().firstValue("RateLimit-Policy")).contains("\"client_ip\";q=3;w=180");
    assertThat(refused.headers().firstValue("RateLimit").orElseThrow()).matches("\"client_ip\";r=0;t=1[78][0-9]");
    JsonNode record = gateway.accessRecord(refused.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(record.get("reason").asText()).isEqualTo("rate_limited");
    assertThat(record.get("status").asInt()).isEqualTo(429);
    assertThat(get("/limited/x", nextClient(), Map.of()).statusCode()).as("another client").isEqualTo(200);
    assertThat(gateway.metrics())
        .containsPattern("gatehouse_rate_limit_checks_total\\{key=\"client_ip\",result=\"limited\",route=\"limited\"} [1-9]")
        .containsPattern("gatehouse_rate_limit_checks_total\\{key=\"client_ip\",result=\"allowed\",route=\"limited\"} [4-9]");
  }

  /**
   * An attacker who is not a trusted proxy cannot spread over fresh buckets by sending a new X-Forwarded-For each
   * time: without trusted_proxies the socket peer is the client.
   */
  @Test
  void aClientRotatingXForwardedForWithoutATrustedProxyKeepsOneBucket() throws Exception {
    try (GatewayHarness direct = GatewayHarness.start(upstream.url(), ROUTES, "")) {
      for (int i = 0; i < 3; i++) {
        assertThat(send(direct, "/limited/x", "203.0.113." + i, Map.of()).statusCode()).isEqualTo(200);
      }
      upstream.clear();
      HttpResponse<String> refused = send(direct, "/limited/x", "203.0.113.99", Map.of());
      assertRefused(refused, 429, "rate_limited");
      assertThat(direct.accessRecord(refused.headers().firstValue("X-Request-Id").orElseThrow())
          .get("client_ip").asText()).as("the peer, not the forged header").isEqualTo("127.0.0.1");
    }
  }

  @Test
  void addressesInOneIpv6Slash64ShareABucketAndTheNextSlash64HasItsOwn() throws Exception {
    String net = "2001:db8:" + Integer.toHexString(++clients) + ":a1:";
    assertThat(get("/limited/x", net + ":1", Map.of()).statusCode()).isEqualTo(200);
    assertThat(get("/limited/x", net + "ffff:ffff:ffff:fffe", Map.of()).statusCode()).isEqualTo(200);
    assertThat(get("/limited/x", net + "1234:5678:9abc:def0", Map.of()).statusCode()).isEqualTo(200);
    upstream.clear();
    assertRefused(get("/limited/x", net + ":42", Map.of()), 429, "rate_limited");
    String next = "2001:db8:" + Integer.toHexString(clients) + ":a2::1";
    assertThat(get("/limited/x", next, Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void aRouteWideLimitHoldsAcrossClientsAndTheClientLimitsAreNotSpentByARefusal() throws Exception {
    assertThat(get("/shared/x", nextClient(), Map.of()).statusCode()).isEqualTo(200);
    assertThat(get("/shared/x", nextClient(), Map.of()).statusCode()).isEqualTo(200);
    upstream.clear();
    HttpResponse<String> refused = get("/shared/x", nextClient(), Map.of());
    assertRefused(refused, 429, "rate_limited");
    assertThat(refused.headers().firstValue("RateLimit-Policy")).contains("\"route\";q=2;w=7200");
  }

  @Test
  void aHeaderKeyCountsEachValueAndAbsentHeadersByClient() throws Exception {
    String client = nextClient();
    assertThat(get("/tenants/x", client, Map.of("X-Tenant", "acme")).statusCode()).isEqualTo(200);
    upstream.clear();
    assertRefused(get("/tenants/x", client, Map.of("X-Tenant", "acme")), 429, "rate_limited");
    assertThat(get("/tenants/x", client, Map.of("X-Tenant", "globex")).statusCode()).isEqualTo(200);
    assertThat(get("/tenants/x", client, Map.of()).statusCode()).as("no header: the client's own bucket")
        .isEqualTo(200);
    assertThat(get("/tenants/x", nextClient(), Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void anIdentityLimitCountsEachApiKeyWhereverItComesFrom() throws Exception {
    Map<String, String> keyA = Map.of("X-N8N-API-KEY", "key-a-" + System.nanoTime());
    assertThat(get("/api/v1/workflows", nextClient(), keyA).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/workflows", nextClient(), keyA).statusCode()).isEqualTo(200);
    upstream.clear();
    HttpResponse<String> refused = get("/api/v1/workflows", nextClient(), keyA);
    assertRefused(refused, 429, "rate_limited");
    assertThat(refused.headers().firstValue("RateLimit-Policy")).contains("\"identity\";q=2;w=7200");
    assertThat(get("/api/v1/workflows", nextClient(), Map.of("X-N8N-API-KEY", "key-b")).statusCode())
        .isEqualTo(200);
    // The key never shows in the audit log's record of the refusal.
    assertThat(gateway.accessRecord(refused.headers().firstValue("X-Request-Id").orElseThrow()).toString())
        .doesNotContain(keyA.get("X-N8N-API-KEY"));
  }

  // --- helpers ---

  private static synchronized String nextClient() {
    int n = ++clients;
    return "198.51." + (n >> 8) + "." + (n & 0xff);
  }

  private static void assertRefused(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo(code);
    assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(upstream.seen()).as("a refused request never reaches n8n").isEmpty();
  }

  private static HttpResponse<String> get(String path, String client, Map<String, String> headers) throws Exception {
    return send(gateway, path, client, headers);
  }

  private static HttpResponse<String> send(GatewayHarness to, String path, String client, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(to.url(path)))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json")
        .header("X-Forwarded-For", client);
    headers.forEach(builder::header);
    return to.http().send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
