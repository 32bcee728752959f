package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * n8n's push channel end to end: a WebSocket from a real client, through the gateway over real TLS, to a real
 * upstream that records the handshake it saw.
 */
class WebSocketIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BROWSER_ORIGIN = "https://localhost:8443";
  private static final String ROUTES = """
      routes:
        - name: "private-push"
          match: ["/ws-private/"]
          upstream: "main"
          allow: ["10.0.0.0/8"]
        - name: "editor"
          match: ["/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
      """;

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;
  private static WebSocketClient client;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), ROUTES, "");
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(gateway.dir().resolve("certs/ca.crt").toString())));
  }

  @AfterAll static void stop() {
    client.close().await();
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
  }

  private static WebSocketConnectOptions handshake(String uri) {
    return new WebSocketConnectOptions()
        .setHost("localhost")
        .setPort(gateway.port())
        .setSsl(true)
        .setURI(uri)
        .addHeader("Origin", BROWSER_ORIGIN);
  }

  @Test void tunnelsTextAndBinaryFramesWithBrowserOriginAndPublicForwardedHost() throws Exception {
    int openedBefore = upstream.webSocketsOpened();
    int closedBefore = upstream.webSocketsClosed();
    WebSocket ws = client.connect(handshake("/ws")).await();
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    ws.textMessageHandler(received::add);
    ws.binaryMessageHandler(received::add);

    // The upstream saw the handshake as n8n's origin check needs it.
    TestUpstream.Seen seen = upstream.seen().stream().filter(s -> s.uri().equals("/ws")).findFirst().orElseThrow();
    assertThat(seen.header("origin")).isEqualTo(BROWSER_ORIGIN);
    assertThat(seen.header("x-forwarded-host")).isEqualTo("localhost:8443");
    assertThat(seen.header("x-forwarded-proto")).isEqualTo("https");
    assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(upstream.webSocketsOpened()).isEqualTo(openedBefore + 1);
    GatewayHarness.awaitTrue(() -> openWebSockets() == 1.0, Duration.ofSeconds(5), "gatehouse_open_websockets 1");

    ws.writeTextMessage("hello push").await();
    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("hello push");
    byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0x80};
    ws.writeBinaryMessage(Buffer.buffer(binary)).await();
    Object echoed = received.poll(5, TimeUnit.SECONDS);
    assertThat(echoed).isInstanceOf(Buffer.class);
    assertThat(((Buffer) echoed).getBytes()).isEqualTo(binary);

    // A push channel idles for long stretches; the tunnel must outlive a few seconds of silence.
    Thread.sleep(3_000);
    assertThat(ws.isClosed()).isFalse();
    ws.writeTextMessage("still there").await();
    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("still there");
    assertThat(openWebSockets()).isEqualTo(1.0);

    ws.close().await();
    GatewayHarness.awaitTrue(() -> upstream.webSocketsClosed() == closedBefore + 1, Duration.ofSeconds(5),
        "the upstream side of the WebSocket to close");
    GatewayHarness.awaitTrue(() -> openWebSockets() == 0.0, Duration.ofSeconds(5), "gatehouse_open_websockets 0");
  }

  @Test void droppingTheClientConnectionClosesTheUpstreamWebSocket() throws Exception {
    int closedBefore = upstream.webSocketsClosed();
    String requestId;
    try (SSLSocket socket = (SSLSocket) gateway.sslContext().getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Origin: " + BROWSER_ORIGIN + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String head = readHead(socket.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 101");
      requestId = new RawReply(head, false).header("X-Request-Id");
      GatewayHarness.awaitTrue(() -> openWebSockets() == 1.0, Duration.ofSeconds(5), "gatehouse_open_websockets 1");
      // Closed without a WebSocket close frame: a browser tab killed, a laptop lid shut.
    }
    GatewayHarness.awaitTrue(() -> upstream.webSocketsClosed() == closedBefore + 1, Duration.ofSeconds(5),
        "the upstream side of the WebSocket to close");
    GatewayHarness.awaitTrue(() -> openWebSockets() == 0.0, Duration.ofSeconds(5), "gatehouse_open_websockets 0");
    // The tunnel's record tells what it was: an upgrade that was let through, not a client that left early.
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("status").asInt()).isEqualTo(101);
    assertThat(record.get("reason").asText()).isEqualTo("none");
    // And the audit log has the tunnel's own entries: when it opened (a push channel lasts hours) and closed.
    String id = requestId;
    assertThat(gateway.auditEntry("websocket", e -> e.path("request_id").asText().equals(id)
        && e.path("event").asText().equals("open")).get("path").asText()).isEqualTo("/ws");
    JsonNode closed = gateway.auditEntry("websocket", e -> e.path("request_id").asText().equals(id)
        && e.path("event").asText().equals("close"));
    assertThat(closed.get("duration_ms").asLong()).isNotNegative();
    assertThat(closed.has("bytes_out")).isTrue();
  }

  @Test void refusesHandshakeFromOutsideAllowListWith403AndNeverReachesUpstream() throws Exception {
    UpgradeRejectedException rejected = catchThrowableOfType(UpgradeRejectedException.class,
        () -> client.connect(handshake("/ws-private/ws")).await());

    assertThat(rejected.getStatus()).isEqualTo(403);
    String requestId = rejected.getHeaders().get("X-Request-Id");
    assertThat(requestId).isNotBlank();
    JsonNode body = JSON.readTree(rejected.getBody().toString());
    assertThat(body.get("error").asText()).isEqualTo("source_not_allowed");
    assertThat(body.get("request_id").asText()).isEqualTo(requestId);
    assertThat(upstream.seen()).isEmpty();
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("reason").asText()).isEqualTo("source_not_allowed");
    assertThat(record.get("route").asText()).isEqualTo("private-push");
    assertThat(record.get("status").asInt()).isEqualTo(403);
  }

  @Test void relaysTheUpstreamsRefusalOfTheUpgrade() throws Exception {
    UpgradeRejectedException rejected = catchThrowableOfType(UpgradeRejectedException.class,
        () -> client.connect(handshake("/ws-refuse")).await());

    assertThat(rejected.getStatus()).isEqualTo(403);
    assertThat(rejected.getBody().toString()).isEqualTo("origin refused");
    String requestId = rejected.getHeaders().get("X-Request-Id");
    assertThat(requestId).isNotBlank();
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/ws-refuse");
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("status").asInt()).isEqualTo(403);
    assertThat(record.get("upstream").asText()).isEqualTo("127.0.0.1:" + upstream.port());
  }

  /** The gauge, or -1 while the admin listener cannot be read (so a poll just tries again). */
  private static double openWebSockets() {
    try {
      return MetricsText.value(gateway.metrics(), "gatehouse_open_websockets");
    } catch (Exception e) {
      return -1;
    }
  }

  /** Reads up to the blank line that ends a response head. */
  private static String readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) break;
      head.append((char) b);
    }
    return head.toString();
  }
}
