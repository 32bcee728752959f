package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What clients see when n8n is down, slow, or one of several targets is dead: the CONTRACT's 502/504 codes with a
 * request id, counted in metrics and written to the access log, and recovery without a gateway restart.
 */
class UpstreamFailureIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Vertx vertx;

  @BeforeAll static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll static void stop() {
    vertx.close().await();
  }

  /** A loopback port that nothing listens on any more. */
  private static int closedPort() {
    TestUpstream gone = new TestUpstream(vertx);
    int port = gone.port();
    gone.close();
    return port;
  }

  private static HttpResponse<String> get(GatewayHarness gateway, String path) throws Exception {
    return gateway.http1().send(HttpRequest.newBuilder(URI.create(gateway.url(path))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double upstreamErrors(GatewayHarness gateway, String kind) throws Exception {
    return MetricsText.value(gateway.metrics(), "gatehouse_upstream_errors_total",
        Map.of("upstream", "main", "kind", kind));
  }

  /**
   * Asserts the gateway's answer to an upstream failure: status, CONTRACT code in JSON, request id in body, header
   * and access log. The decision stays {@code allow}: every guard passed, n8n is the one that did not answer.
   */
  private static JsonNode assertUpstreamFailure(GatewayHarness gateway, HttpResponse<String> response, int status, String code)
      throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("error").asText()).isEqualTo(code);
    assertThat(body.get("request_id").asText()).isEqualTo(requestId);
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("status").asInt()).isEqualTo(status);
    assertThat(record.get("reason").asText()).isEqualTo(code);
    assertThat(record.get("decision").asText()).isEqualTo("allow");
    return record;
  }

  @Test void answers502WhenUpstreamIsDownAndServesAgainWhenItComesBackOnTheSamePort() throws Exception {
    int port = closedPort();
    try (GatewayHarness gateway = GatewayHarness.startWithConfig(GatewayConfigYaml.of("http://127.0.0.1:" + port).yaml())) {
      HttpResponse<String> down = get(gateway, "/rest/settings");

      assertUpstreamFailure(gateway, down, 502, "upstream_unavailable");
      assertThat(upstreamErrors(gateway, "connect")).isEqualTo(1.0);

      try (TestUpstream back = new TestUpstream(vertx, port)) {
        HttpResponse<String> up = get(gateway, "/rest/settings");

        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(up.body()).get("uri").asText()).isEqualTo("/rest/settings");
        assertThat(back.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/rest/settings");
        assertThat(upstreamErrors(gateway, "connect")).isEqualTo(1.0);
      }
    }
  }

  @Test void retriesADeadTargetOnTheNextAndThenSkipsIt() throws Exception {
    int dead = closedPort();
    try (TestUpstream live = new TestUpstream(vertx);
        GatewayHarness gateway = GatewayHarness.startWithConfig(
            GatewayConfigYaml.of("http://127.0.0.1:" + dead, live.url()).yaml())) {
      String lastRequestId = null;
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> response = get(gateway, "/rest/n" + i);
        assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
        lastRequestId = response.headers().firstValue("X-Request-Id").orElseThrow();
      }

      assertThat(live.seen()).hasSize(10);
      // One refused connection, retried on the live target; after that the dead one is skipped (passive health).
      assertThat(upstreamErrors(gateway, "connect")).isEqualTo(1.0);
      JsonNode record = gateway.accessRecord(lastRequestId);
      assertThat(record.get("upstream").asText()).isEqualTo("127.0.0.1:" + live.port());
      assertThat(record.get("reason").asText()).isEqualTo("none");
    }
  }

  @Test void spreadsRequestsRoundRobinOverTwoLiveTargets() throws Exception {
    try (TestUpstream first = new TestUpstream(vertx);
        TestUpstream second = new TestUpstream(vertx);
        GatewayHarness gateway = GatewayHarness.startWithConfig(GatewayConfigYaml.of(first.url(), second.url()).yaml())) {
      for (int i = 0; i < 10; i++) assertThat(get(gateway, "/rest/n" + i).statusCode()).isEqualTo(200);

      assertThat(first.seen()).hasSize(5);
      assertThat(second.seen()).hasSize(5);
      assertThat(upstreamErrors(gateway, "connect")).isZero();
    }
  }

  @Test void answers504WhenUpstreamDoesNotAnswerWithinUpstreamResponse() throws Exception {
    try (TestUpstream slow = new TestUpstream(vertx);
        GatewayHarness gateway = GatewayHarness.startWithConfig(
            GatewayConfigYaml.of(slow.url()).withUpstreamResponse("1s").yaml())) {
      long started = System.nanoTime();
      HttpResponse<String> response = get(gateway, "/slow?ms=5000");
      long tookMillis = (System.nanoTime() - started) / 1_000_000;

      JsonNode record = assertUpstreamFailure(gateway, response, 504, "upstream_timeout");
      assertThat(tookMillis).isBetween(900L, 4_000L);
      assertThat(slow.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/slow?ms=5000");
      assertThat(record.get("upstream").asText()).isEqualTo("127.0.0.1:" + slow.port());
      assertThat(upstreamErrors(gateway, "timeout")).isEqualTo(1.0);
    }
  }

  @Test void uploadTakingLongerThanUpstreamResponseIsNotCut() throws Exception {
    try (TestUpstream upstream = new TestUpstream(vertx);
        GatewayHarness gateway = GatewayHarness.startWithConfig(
            GatewayConfigYaml.of(upstream.url()).withUpstreamResponse("1s").yaml())) {
      // 8 chunks 250 ms apart: the body takes about 2 s to send, twice upstream_response, which only starts
      // counting once n8n has the whole request.
      HttpResponse<String> response = gateway.http1().send(
          HttpRequest.newBuilder(URI.create(gateway.url("/upload")))
              .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new TricklingBody(8, 1024, 250)))
              .build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(Integer.toString(8 * 1024));
      assertThat(upstreamErrors(gateway, "timeout")).isZero();
    }
  }

  @Test void answers502ToAWebSocketHandshakeWhenUpstreamIsDown() throws Exception {
    int port = closedPort();
    try (GatewayHarness gateway = GatewayHarness.startWithConfig(GatewayConfigYaml.of("http://127.0.0.1:" + port).yaml())) {
      // Held in a variable: Vert.x closes a client that becomes unreachable, even mid-handshake.
      WebSocketClient client = webSockets(gateway);
      UpgradeRejectedException rejected = catchThrowableOfType(UpgradeRejectedException.class,
          () -> client.connect(handshake(gateway, "/rest/push")).await());
      client.close().await();

      assertThat(rejected.getStatus()).isEqualTo(502);
      String requestId = rejected.getHeaders().get("X-Request-Id");
      JsonNode body = JSON.readTree(rejected.getBody().toString());
      assertThat(body.get("error").asText()).isEqualTo("upstream_unavailable");
      assertThat(body.get("request_id").asText()).isEqualTo(requestId);
      assertThat(gateway.accessRecord(requestId).get("reason").asText()).isEqualTo("upstream_unavailable");
      assertThat(upstreamErrors(gateway, "connect")).isEqualTo(1.0);
    }
  }

  @Test void retriesAWebSocketHandshakeOnTheNextTargetWhenOneIsDead() throws Exception {
    int dead = closedPort();
    try (TestUpstream live = new TestUpstream(vertx);
        GatewayHarness gateway = GatewayHarness.startWithConfig(
            GatewayConfigYaml.of("http://127.0.0.1:" + dead, live.url()).yaml())) {
      WebSocketClient client = webSockets(gateway);
      // The first attempt order starts at the dead target; a refused connection sent nothing, so it is retried.
      for (int i = 0; i < 2; i++) {
        WebSocket ws = client.connect(handshake(gateway, "/ws")).await();
        ws.close().await();
      }

      client.close().await();
      assertThat(live.webSocketsOpened()).isEqualTo(2);
      assertThat(upstreamErrors(gateway, "connect")).isEqualTo(1.0);
    }
  }

  private static WebSocketClient webSockets(GatewayHarness gateway) {
    return vertx.createWebSocketClient(new WebSocketClientOptions()
        .setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(gateway.dir().resolve("certs/ca.crt").toString())));
  }

  private static WebSocketConnectOptions handshake(GatewayHarness gateway, String uri) {
    return new WebSocketConnectOptions().setHost("localhost").setPort(gateway.port()).setSsl(true).setURI(uri)
        .addHeader("Origin", "https://localhost:8443");
  }

  /** A body that arrives in chunks with pauses between them, like an upload over a slow link. */
  private static final class TricklingBody extends InputStream {
    private final int chunkSize;
    private final long pauseMillis;
    private int chunksLeft;
    private int leftInChunk;

    TricklingBody(int chunks, int chunkSize, long pauseMillis) {
      this.chunksLeft = chunks;
      this.chunkSize = chunkSize;
      this.pauseMillis = pauseMillis;
    }

    @Override public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0];
    }

    @Override public int read(byte[] buffer, int offset, int length) {
      if (leftInChunk == 0) {
        if (chunksLeft == 0) return -1;
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return -1;
        }
        chunksLeft--;
        leftInChunk = chunkSize;
      }
      int n = Math.min(length, leftInChunk);
      java.util.Arrays.fill(buffer, offset, offset + n, (byte) 'x');
      leftInChunk -= n;
      return n;
    }
  }
}
