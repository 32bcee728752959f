package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.config.Secret;
import io.gatehouse.guard.signature.TestHmacScheme;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signed webhooks end to end: a real gateway over TLS in front of a real upstream, the route requiring a
 * signature, the test-only HMAC scheme standing in for a sender's. What reaches the upstream is compared by SHA-256.
 */
class WebhookSignatureIT {
  static final String PATH = "/webhook/claims-intake";
  static final Secret SECRET = new Secret("claims-secret-0123456789abcdef", false);
  static final String ROUTES = """
      webhooks:
        - path: "/webhook/claims-intake"
          scheme: "github"
          secrets: ["claims-secret-0123456789abcdef"]
          tolerance: "5m"
        - path: "/webhook/fail-503"
          scheme: "github"
          secrets: ["claims-secret-0123456789abcdef"]
      routes:
        - name: "webhooks"
          match: ["/webhook/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          signature: "required"
        - name: "editor"
          match: ["/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
      """;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;
  private static int deliveries;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), ROUTES, "  max_body: \"8KiB\"\n",
        GatewayHarness.Options.DEFAULTS, webhook -> new TestHmacScheme());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach
  void clear() {
    upstream.clear();
  }

  @Test
  void deliversSignedWebhookToUpstreamByteForByteOverHttp2AndHttp11() throws Exception {
    for (HttpClient client : new HttpClient[] {gateway.http(), gateway.http1()}) {
      byte[] body = randomBytes(6000);
      HttpResponse<String> response = client.send(post(PATH, body, signed(body, nextId()))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode seen = JSON.readTree(response.body());
      assertThat(seen.get("bodySha256").asText()).isEqualTo(TestUpstream.sha256(body));
      assertThat(seen.get("headers").get("content-length").asText()).isEqualTo(Integer.toString(body.length));
    }
    assertThat(upstream.seen()).hasSize(2);
  }

  @Test
  void deliversChunkedSignedWebhookWithItsExactLength() throws Exception {
    byte[] body = randomBytes(7000);
    HttpResponse<String> response = gateway.http1().send(post(PATH, body, signed(body, nextId()))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode seen = JSON.readTree(response.body());
    assertThat(seen.get("bodySha256").asText()).isEqualTo(TestUpstream.sha256(body));
    assertThat(seen.get("headers").get("content-length").asText()).isEqualTo("7000");
    assertThat(seen.get("headers").has("transfer-encoding")).isFalse();
  }

  @Test
  void refusesUnsignedWebhookWith401AndUpstreamNeverSeesIt() throws Exception {
    byte[] body = bytes("{\"claim\":1}");
    HttpResponse<String> response = send(post(PATH, body, Map.of()), body);
    assertRefused(response, 401, "signature_missing");
    assertThat(gateway.accessRecord(requestId(response)).get("reason").asText()).isEqualTo("signature_missing");
  }

  @Test
  void refusesForgedWebhookWith401AndUpstreamNeverSeesIt() throws Exception {
    byte[] body = bytes("{\"claim\":1}");
    Map<String, String> forged = new TestHmacScheme().sign(body, new Secret("not-the-secret-0123456789", false),
        nextId(), null);
    HttpResponse<String> response = send(post(PATH, body, forged), body);
    assertRefused(response, 401, "signature_invalid");
    assertThat(gateway.accessRecord(requestId(response)).get("reason").asText()).isEqualTo("signature_invalid");
  }

  @Test
  void refusesWebhookPathWithoutEntryWith401() throws Exception {
    byte[] body = bytes("{}");
    assertRefused(send(post("/webhook/not-configured", body, signed(body, nextId())), body), 401, "signature_missing");
  }

  @Test
  void refusesDeliveryOnAnotherCaseOfTheWebhookPathWith401AndUpstreamNeverSeesIt() throws Exception {
    // n8n finds webhooks by exact path: "/webhook/CLAIMS-Intake" is not the entry signed for, whatever it carries.
    byte[] body = bytes("{\"claim\":3}");
    for (String path : new String[] {"/webhook/CLAIMS-INTAKE", "/webhook/Claims-Intake/", "/WEBHOOK/claims-Intake"}) {
      HttpResponse<String> response = send(post(path, body, signed(body, nextId())), body);
      assertRefused(response, 401, "signature_missing");
      assertThat(gateway.accessRecord(requestId(response)).get("reason").asText()).isEqualTo("signature_missing");
    }
    // The endpoint segment is Express's route, matched case-insensitively: still the configured webhook.
    assertThat(send(post("/WEBHOOK/claims-intake/", body, signed(body, nextId())), body).statusCode()).isEqualTo(200);
  }

  @Test
  void refusesReplayedDeliveryWith409() throws Exception {
    byte[] body = bytes("{\"claim\":2}");
    Map<String, String> headers = signed(body, nextId());
    assertThat(send(post(PATH, body, headers), body).statusCode()).isEqualTo(200);
    upstream.clear();
    // Another spelling of the same path and a query change nothing: it is the same delivery.
    HttpResponse<String> replay = send(post("/WEBHOOK//claims-intake/?again=1", body, headers), body);
    assertRefused(replay, 409, "replayed");
    assertThat(gateway.accessRecord(requestId(replay)).get("reason").asText()).isEqualTo("replayed");
  }

  @Test
  void letsTheSenderRetryADeliveryN8nFailedInsteadOfCallingItAReplay() throws Exception {
    byte[] body = bytes("{\"claim\":3}");
    Map<String, String> headers = signed(body, nextId());

    assertThat(send(post("/webhook/fail-503", body, headers), body).statusCode()).isEqualTo(503);
    HttpResponse<String> retry = send(post("/webhook/fail-503", body, headers), body);

    assertThat(retry.statusCode()).as("the retry reaches n8n again, not 409").isEqualTo(503);
    assertThat(upstream.seen()).filteredOn(seen -> seen.uri().equals("/webhook/fail-503")).hasSize(2);
  }

  @Test
  void refusesStreamedBodyOverMaxBodyWith413() throws Exception {
    byte[] body = new byte[12 * 1024];
    Map<String, String> headers = signed(body, nextId());
    StringBuilder request = new StringBuilder("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n");
    headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
    request.append("\r\n");
    for (int i = 0; i < 12; i++) request.append("400\r\n").append("\0".repeat(1024)).append("\r\n");
    request.append("0\r\n\r\n");
    String reply = gateway.raw(request.toString(), Duration.ofSeconds(2));
    assertThat(reply).startsWith("HTTP/1.1 413").contains("\"error\":\"body_too_large\"").containsIgnoringCase("x-request-id");
    assertThat(upstream.seen()).isEmpty();
  }

  @Test
  void countsVerificationsByWebhookAndResult() throws Exception {
    byte[] body = bytes("{\"claim\":3}");
    send(post(PATH, body, signed(body, nextId())), body);
    send(post(PATH, body, Map.of()), body);
    String metrics = gateway.metrics();
    assertThat(metrics).containsPattern(
        "gatehouse_webhook_verifications_total\\{result=\"ok\",webhook=\"/webhook/claims-intake\"} [1-9]");
    assertThat(metrics).containsPattern(
        "gatehouse_webhook_verifications_total\\{result=\"signature_missing\",webhook=\"/webhook/claims-intake\"} [1-9]");
    assertThat(metrics).contains("gatehouse_replay_store_errors_total{store=\"local\"} 0");
  }

  // --- helpers ---

  private static void assertRefused(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo(code);
    assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(upstream.seen()).isEmpty();
  }

  static String requestId(HttpResponse<?> response) {
    return response.headers().firstValue("X-Request-Id").orElseThrow();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, byte[] body) throws Exception {
    return gateway.http().send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder post(String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(gateway.url(path)))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json");
    headers.forEach(builder::header);
    return builder;
  }

  static Map<String, String> signed(byte[] body, String id) {
    return new TestHmacScheme().sign(body, SECRET, id, null);
  }

  private static synchronized String nextId() {
    return "delivery-" + (++deliveries) + "-" + System.nanoTime();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] randomBytes(int n) {
    byte[] out = new byte[n];
    new Random(n).nextBytes(out);
    return out;
  }
}
