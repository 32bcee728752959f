package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.Secret;
import io.gatehouse.guard.signature.HmacKeys;
import io.gatehouse.guard.signature.SignatureScheme;
import io.gatehouse.guard.signature.TestHmacScheme;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.LogRecord;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failure leaves a trace: a guard that throws is answered 500 {@code guard_error} and logged (guard, route, request
 * id; never the exception's message), counted by route and guard, and audited with its own detail; a client that
 * goes away mid-body is recorded as {@code client_closed} (499), not as a guard failure.
 */
class FailureTracesIT {
  private static final String ROUTES = """
      webhooks:
        - path: "/webhook/broken"
          scheme: "github"
          secrets: ["claims-secret-0123456789abcdef"]
        - path: "/webhook/signed"
          scheme: "github"
          secrets: ["claims-secret-0123456789abcdef"]
        - path: "/hooks/broken"
          scheme: "github"
          secrets: ["claims-secret-0123456789abcdef"]
      routes:
        - name: "hooks"
          match: ["/hooks/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          signature: "required"
        - name: "webhooks"
          match: ["/webhook/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          signature: "required"
      """;
  /** Its message stands for what a real failure might quote: a header value, a secret. */
  private static final String SECRET_IN_MESSAGE = "secret-looking-value-4711";

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;
  private static LogCapture log;
  private static List<LogRecord> logged;

  @BeforeAll static void start() throws Exception {
    log = LogCapture.of("io.gatehouse.server.GuardFailureLog");
    logged = log.records();
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), ROUTES, "", GatewayHarness.Options.DEFAULTS,
        webhook -> webhook.path().endsWith("/broken") ? new ThrowingScheme() : new TestHmacScheme());
  }

  @AfterAll static void stop() {
    log.close();
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
    logged.clear();
  }

  @Test void aGuardThatThrowsIsRefused500LoggedCountedAndAudited() throws Exception {
    RawReply reply = RawReply.exchange(gateway, "POST /webhook/broken HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Length: 2\r\nConnection: close\r\n\r\n{}", Duration.ofSeconds(5));

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.json().get("error").asText()).isEqualTo("guard_error");
    assertThat(reply.text()).doesNotContain(SECRET_IN_MESSAGE).doesNotContain("IllegalStateException");
    assertThat(upstream.seen()).isEmpty();
    String requestId = reply.header("X-Request-Id");
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("reason").asText()).isEqualTo("guard_error");
    assertThat(record.get("detail").asText()).contains("WebhookSignatureGuard").contains("IllegalStateException")
        .doesNotContain(SECRET_IN_MESSAGE);
    assertThat(logged).hasSize(1);
    String line = logged.get(0).getMessage();
    assertThat(line).contains("WebhookSignatureGuard", "webhooks", requestId, "java.lang.IllegalStateException")
        .doesNotContain(SECRET_IN_MESSAGE);
    assertThat(MetricsText.value(gateway.metrics(), "gatehouse_guard_errors_total",
        Map.of("route", "webhooks", "guard", "WebhookSignatureGuard"))).isEqualTo(1);
  }

  /** On a route of its own: the log's window is per guard and route, so the other test's line is not in its way. */
  @Test void repeatedGuardFailuresAreLoggedOncePerWindowButEachIsCounted() throws Exception {
    double before = MetricsText.value(gateway.metrics(), "gatehouse_guard_errors_total",
        Map.of("route", "hooks", "guard", "WebhookSignatureGuard"));
    for (int i = 0; i < 5; i++) {
      RawReply reply = RawReply.exchange(gateway, "POST /hooks/broken HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Length: 2\r\nConnection: close\r\n\r\n{}", Duration.ofSeconds(5));
      assertThat(reply.status()).isEqualTo(500);
    }

    assertThat(MetricsText.value(gateway.metrics(), "gatehouse_guard_errors_total",
        Map.of("route", "hooks", "guard", "WebhookSignatureGuard"))).isEqualTo(before + 5);
    assertThat(logged).as("one line per guard and route every 10 s").hasSize(1);
  }

  @Test void aClientThatLeavesMidBodyIsRecordedAsClientClosedNotAGuardError() throws Exception {
    double guardErrorsBefore = MetricsText.value(gateway.metrics(), "gatehouse_guard_errors_total",
        Map.of("route", "webhooks", "guard", "WebhookSignatureGuard"));
    int recordsBefore = gateway.accessLog(0).size();
    try (SSLSocket socket = gateway.connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /webhook/signed HTTP/1.1\r\nHost: localhost\r\n" + TestHmacScheme.SIGNATURE + ": " + "ab".repeat(32)
          + "\r\n" + TestHmacScheme.ID + ": d-1\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(100))
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread.sleep(300);
    }
    List<JsonNode> records = gateway.accessLog(recordsBefore + 1);
    JsonNode record = records.get(records.size() - 1);

    assertThat(record.get("reason").asText()).isEqualTo("client_closed");
    assertThat(record.get("status").asInt()).isEqualTo(499);
    assertThat(record.get("decision").asText()).isEqualTo("allow");
    assertThat(logged).isEmpty();
    assertThat(MetricsText.value(gateway.metrics(), "gatehouse_guard_errors_total",
        Map.of("route", "webhooks", "guard", "WebhookSignatureGuard"))).isEqualTo(guardErrorsBefore);
    assertThat(upstream.seen()).isEmpty();
  }

  /** A scheme with a bug: it throws where it should decide. */
  private static final class ThrowingScheme implements SignatureScheme {
    @Override public Start begin(MultiMap headers, HmacKeys keys, Instant now, Duration tolerance) {
      throw new IllegalStateException("bug while reading " + SECRET_IN_MESSAGE);
    }

    @Override public Map<String, String> sign(byte[] body, Secret secret, String id, Instant timestamp) {
      throw new UnsupportedOperationException();
    }
  }
}
