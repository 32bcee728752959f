package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.alert.AlertReceiver;
import io.gatehouse.alert.AlertSignature;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Anomaly alerts end to end: a real gateway over TLS, a burst of forged webhook signatures from loopback, and the
 * alert in each of its three places: the signed audit log, the admin /metrics, and a signed POST to a receiver.
 */
class AnomalyAlertsIT {
  private static final String SECRET = "alert-secret-for-the-it-0123456789abcdef";
  private static final String ROUTES = """
      webhooks:
        - path: "/webhook/claims-intake"
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
      alerts:
        webhook: "%s"
        secret: "%s"
      """;

  @Test
  void aBurstOfForgedWebhookSignaturesIsAuditedCountedAndPostedSigned() throws Exception {
    Vertx vertx = Vertx.vertx();
    TestUpstream upstream = new TestUpstream(vertx);
    try (AlertReceiver receiver = new AlertReceiver(n -> 200);
        GatewayHarness gateway = GatewayHarness.start(upstream.url(), ROUTES.formatted(receiver.url(), SECRET), "")) {
      HttpClient client = gateway.http1();
      for (int i = 0; i < 22; i++) {
        HttpRequest forged = HttpRequest.newBuilder(URI.create(gateway.url("/webhook/claims-intake")))
            .header("X-Hub-Signature-256", "sha256=" + "0".repeat(64))
            .header("X-GitHub-Delivery", UUID.randomUUID().toString())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"claim\":" + i + "}"))
            .build();
        assertThat(client.send(forged, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      }

      JsonNode entry = gateway.auditEntry("alert", e -> "auth_failures_source".equals(e.path("type").asText()));
      assertThat(entry.path("route").asText()).isEqualTo("webhooks");
      assertThat(entry.path("source").asText()).isEqualTo("127.0.0.1");
      assertThat(entry.path("count").asLong()).isEqualTo(20);
      assertThat(entry.path("threshold").asLong()).isEqualTo(20);
      assertThat(entry.path("detail").asText()).contains("signature_invalid");
      assertThat(upstream.seen()).isEmpty();

      Map<String, String> labels = Map.of("type", "auth_failures_source", "route", "webhooks");
      GatewayHarness.awaitTrue(() -> delivered(gateway) == 1, Duration.ofSeconds(10), "the alert POST delivered");
      String metrics = gateway.metrics();
      assertThat(MetricsText.value(metrics, "gatehouse_alerts_total", labels)).isEqualTo(1);
      assertThat(MetricsText.value(metrics, "gatehouse_alert_outcomes_dropped_total")).isZero();

      AlertReceiver.Post post = receiver.posts().get(0);
      assertThat(receiver.posts()).hasSize(1);
      assertThat(new AlertSignature(SECRET.getBytes(StandardCharsets.UTF_8)).verifies(
          post.header("X-Gatehouse-Timestamp"), post.body(), post.header("X-Gatehouse-Signature"))).isTrue();
      JsonNode body = new ObjectMapper().readTree(post.body());
      assertThat(body.path("id").asText()).isEqualTo(entry.path("id").asText());
      assertThat(body.path("type").asText()).isEqualTo("auth_failures_source");
      assertThat(body.path("source").asText()).isEqualTo("127.0.0.1");
    } finally {
      upstream.close();
      vertx.close().await();
    }
  }

  private static double delivered(GatewayHarness gateway) {
    try {
      return MetricsText.value(gateway.metrics(), "gatehouse_alert_webhook_deliveries_total", Map.of("result", "ok"));
    } catch (Exception e) {
      return -1;
    }
  }
}
