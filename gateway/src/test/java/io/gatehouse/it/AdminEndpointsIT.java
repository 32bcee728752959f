package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin listener: health, readiness and metrics on a port of its own, never on the public one. */
class AdminEndpointsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url());
  }

  @AfterAll static void stop() {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @Test void healthzAnswers200() throws Exception {
    HttpResponse<String> response = admin(gateway, "/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("ok");
  }

  @Test void readyzIs200WhileTheUpstreamListensAnd503AfterItCloses() throws Exception {
    TestUpstream own = new TestUpstream(vertx);
    try (GatewayHarness gw = GatewayHarness.start(own.url())) {
      assertThat(admin(gw, "/readyz").statusCode()).isEqualTo(200);

      own.close();

      GatewayHarness.awaitTrue(() -> adminStatus(gw, "/readyz") == 503, Duration.ofSeconds(5), "/readyz 503");
      assertThat(JSON.readTree(admin(gw, "/readyz").body()).get("status").asText()).isEqualTo("unready");
      assertThat(admin(gw, "/healthz").statusCode()).as("liveness does not depend on the upstream").isEqualTo(200);
    }
  }

  @Test void metricsCountRequestsLatencyConnectionsAndTlsHandshakesBothWays() throws Exception {
    HttpClient client = gateway.http();
    for (int i = 0; i < 3; i++) {
      assertThat(client.send(get("/rest/metrics-test-" + i), HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(200);
    }
    // A client that does not trust the dev CA gives up during the handshake.
    SSLContext untrusting = SSLContext.getInstance("TLS");
    untrusting.init(null, null, null);
    assertThatThrownBy(() -> {
      try (SSLSocket socket = (SSLSocket) untrusting.getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
        socket.startHandshake();
      }
    }).isInstanceOf(SSLHandshakeException.class);
    GatewayHarness.awaitTrue(() -> metric("gatehouse_tls_handshakes_total{result=\"failed\"}") > 0,
        Duration.ofSeconds(5), "the failed handshake counted");

    HttpResponse<String> scrape = admin(gateway, "/metrics");
    String metrics = scrape.body();
    assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(GatewayProcess.metricSum(metrics, "gatehouse_requests_total", "route=\"editor\"", "status=\"200\""))
        .isGreaterThanOrEqualTo(3);
    assertThat(metrics).containsPattern("(?m)^gatehouse_request_duration_seconds_bucket\\{[^}]*route=\"editor\"[^}]*\\} ");
    assertThat(GatewayProcess.metricSum(metrics, "gatehouse_request_duration_seconds_count", "route=\"editor\""))
        .isGreaterThanOrEqualTo(3);
    assertThat(metrics).containsPattern("(?m)^gatehouse_open_connections ");
    assertThat(GatewayProcess.metricValue(metrics, "gatehouse_tls_handshakes_total{result=\"ok\"}")).isPositive();
    assertThat(GatewayProcess.metricValue(metrics, "gatehouse_tls_handshakes_total{result=\"failed\"}")).isPositive();
  }

  @Test void openConnectionsGaugeFollowsConnectionsOpeningAndClosing() throws Exception {
    double before = metric("gatehouse_open_connections");
    try (SSLSocket socket = (SSLSocket) gateway.sslContext().getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
      socket.startHandshake();
      GatewayHarness.awaitTrue(() -> metric("gatehouse_open_connections") == before + 1, Duration.ofSeconds(5),
          "the open connection counted");
    }
    GatewayHarness.awaitTrue(() -> metric("gatehouse_open_connections") == before, Duration.ofSeconds(5),
        "the closed connection no longer counted");
  }

  @Test void adminEndpointsAreNotServedOnThePublicPort() throws Exception {
    upstream.clear();
    for (String path : new String[] {"/metrics", "/readyz"}) {
      HttpResponse<String> response = gateway.http().send(get(path), HttpResponse.BodyHandlers.ofString());

      // The public listener forwards these paths to n8n like any other; the gateway's own metrics never show.
      assertThat(response.body()).doesNotContain("gatehouse_").doesNotContain("# HELP");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(response.body()).get("uri").asText()).isEqualTo(path);
    }
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/metrics", "/readyz");
  }

  private static HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(gateway.url(path))).build();
  }

  private static HttpResponse<String> admin(GatewayHarness gw, String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.adminPort() + path)).timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int adminStatus(GatewayHarness gw, String path) {
    try {
      return admin(gw, path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static double metric(String series) {
    try {
      return GatewayProcess.metricValue(gateway.metrics(), series);
    } catch (Exception e) {
      throw new AssertionError("scraping /metrics failed", e);
    }
  }
}
