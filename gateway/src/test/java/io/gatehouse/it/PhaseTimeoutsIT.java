package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each phase of a connection has its own limit, and a limit meant for one phase never cuts another: {@code idle}
 * between requests and for a stalled body, {@code upstream_response} for n8n's answer, {@code request_body} for a body
 * read before forwarding, {@code websocket_idle} for tunnels (a WebSocket client that sends nothing, not even a
 * PONG). On {@code main} before this, Vert.x's idle timer cut a request whose answer came after {@code idle}, and the
 * header deadline closed keep-alive connections after {@code request_header}.
 *
 * <p>Limits: idle 1.5 s, request_header 1 s, upstream_response 4 s, request_body 2 s, websocket_idle 5 s.
 */
class PhaseTimeoutsIT {
  private static final String ROUTES = """
      webhooks:
        - path: "/webhook/signed"
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
  private static final String TIMEOUTS = "{ idle: \"1500ms\", request_header: \"1s\", upstream_connect: \"2s\","
      + " upstream_response: \"4s\", drain: \"5s\", request_body: \"2s\", websocket_idle: \"5s\" }";

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;
  private static WebSocketClient webSockets;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), ROUTES, "", GatewayHarness.Options.DEFAULTS.withTimeouts(TIMEOUTS));
    webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(gateway.dir().resolve("certs/ca.crt").toString())));
  }

  @AfterAll static void stop() {
    webSockets.close().await();
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
  }

  @Test void answersARequestWhoseUpstreamTakesLongerThanIdle() throws Exception {
    RawReply reply = RawReply.exchange(gateway,
        "GET /slow?ms=2500 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", Duration.ofSeconds(8));

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("slow");
  }

  @Test void answers504NotADropWhenTheUpstreamIsSlowerThanUpstreamResponse() throws Exception {
    long start = System.nanoTime();
    RawReply reply = RawReply.exchange(gateway,
        "GET /slow?ms=7000 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", Duration.ofSeconds(10));
    Duration waited = Duration.ofNanos(System.nanoTime() - start);

    assertThat(reply.status()).as(reply.text()).isEqualTo(504);
    assertThat(reply.json().get("error").asText()).isEqualTo("upstream_timeout");
    assertThat(waited).isBetween(Duration.ofMillis(3800), Duration.ofMillis(6500));
    assertThat(gateway.accessRecord(reply.header("X-Request-Id")).get("reason").asText()).isEqualTo("upstream_timeout");
  }

  @Test void keepsAKeepAliveConnectionOpenForIdleNotJustRequestHeader() throws Exception {
    try (SSLSocket socket = gateway.connect()) {
      write(socket.getOutputStream(), "GET /first HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(readOne(socket).status()).isEqualTo(200);
      // Longer than request_header (1 s), shorter than idle (1.5 s).
      Thread.sleep(1200);
      write(socket.getOutputStream(), "GET /second HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      RawReply second = RawReply.read(socket, Duration.ofSeconds(5));

      assertThat(second.status()).as(second.text()).isEqualTo(200);
    }
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/first", "/second");
  }

  @Test void closesAKeepAliveConnectionAfterIdleWithoutANextRequest() throws Exception {
    try (SSLSocket socket = gateway.connect()) {
      write(socket.getOutputStream(), "GET /first HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(readOne(socket).status()).isEqualTo(200);
      long start = System.nanoTime();
      RawReply rest = RawReply.read(socket, Duration.ofSeconds(5));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      assertThat(rest.closed()).isTrue();
      assertThat(waited).isBetween(Duration.ofMillis(1300), Duration.ofMillis(3000));
    }
  }

  @Test void givesTheNextRequestsHeadRequestHeaderFromItsFirstByte() throws Exception {
    try (SSLSocket socket = gateway.connect()) {
      write(socket.getOutputStream(), "GET /first HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(readOne(socket).status()).isEqualTo(200);
      // 1 s into the 1.5 s idle wait: idle alone would cut 0.5 s after the next head's first byte, and a
      // request_header counted from the last response (the old rule) at once; request_header from that byte is 1 s.
      Thread.sleep(1000);
      write(socket.getOutputStream(), "GET /second HTTP/1.1\r\n");
      long start = System.nanoTime();
      RawReply rest = RawReply.read(socket, Duration.ofSeconds(5));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      assertThat(rest.closed()).isTrue();
      assertThat(rest.text()).isEmpty();
      assertThat(waited).isBetween(Duration.ofMillis(850), Duration.ofMillis(2500));
    }
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/first");
  }

  @Test void relaysAResponseBodyThatPausesForLessThanIdle() throws Exception {
    RawReply reply = RawReply.exchange(gateway,
        "GET /pause-response?ms=800 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text()).contains("first;").contains("last").endsWith("0\r\n\r\n");
  }

  @Test void cutsAResponseBodyThatStallsLongerThanIdle() throws Exception {
    long start = System.nanoTime();
    RawReply reply = RawReply.exchange(gateway,
        "GET /pause-response?ms=4000 HTTP/1.1\r\nHost: localhost\r\n\r\n", Duration.ofSeconds(6));
    Duration waited = Duration.ofNanos(System.nanoTime() - start);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text()).contains("first;").doesNotContain("last").doesNotEndWith("0\r\n\r\n");
    assertThat(reply.closed()).isTrue();
    assertThat(waited).isBetween(Duration.ofMillis(1300), Duration.ofMillis(3500));
  }

  @Test void keepsAnEventStreamQuietForLongerThanIdle() throws Exception {
    RawReply reply = RawReply.exchange(gateway,
        "GET /sse?n=2&gap=2200 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", Duration.ofSeconds(8));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text()).contains("data: event-0").contains("data: event-1").endsWith("0\r\n\r\n");
  }

  @Test void keepsAQuietWebSocketOpenLongerThanIdle() throws Exception {
    WebSocket ws = webSockets.connect(handshake()).await();
    AtomicBoolean closed = new AtomicBoolean();
    ws.closeHandler(v -> closed.set(true));
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    ws.textMessageHandler(received::add);

    Thread.sleep(2500);
    assertThat(closed).as("quiet for longer than idle, shorter than websocket_idle").isFalse();
    ws.writeTextMessage("still here").await();

    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("still here");
    ws.close().await();
  }

  @Test void closesAWebSocketWhoseClientSendsNothingForWebsocketIdle() throws Exception {
    Duration waited;
    // A raw client answers none of the gateway's pings (a Vert.x client would, and keep the tunnel open).
    try (RawWebSocketClient ws = RawWebSocketClient.open(gateway, "/ws")) {
      long start = System.nanoTime();
      for (RawWebSocketClient.Frame f = ws.read(Duration.ofSeconds(9)); f != null; f = ws.read(Duration.ofSeconds(9))) {
        assertThat(f.opcode()).isEqualTo(RawWebSocketClient.PING);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("still open").isLessThan(Duration.ofSeconds(10));
      }
      waited = Duration.ofNanos(System.nanoTime() - start);
    }

    assertThat(waited).isBetween(Duration.ofMillis(4500), Duration.ofMillis(8000));
    GatewayHarness.awaitTrue(() -> upstream.webSocketsClosed() == upstream.webSocketsOpened(), Duration.ofSeconds(5),
        "the upstream side of the tunnel to close too");
  }

  @Test void answers408WhenABodyReadBeforeForwardingArrivesSlowerThanRequestBody() throws Exception {
    try (SSLSocket socket = gateway.connect()) {
      // Valid-looking signature headers: no secret is needed to make the gateway read the body.
      write(socket.getOutputStream(), "POST /webhook/signed HTTP/1.1\r\nHost: localhost\r\n"
          + "X-Hub-Signature-256: sha256=" + "ab".repeat(32) + "\r\nX-GitHub-Delivery: 72d3162e\r\n"
          + "Content-Length: 100\r\n\r\n0123456789");
      long start = System.nanoTime();
      RawReply reply = RawReply.read(socket, Duration.ofSeconds(6));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      assertThat(reply.status()).as(reply.text()).isEqualTo(408);
      assertThat(reply.json().get("error").asText()).isEqualTo("request_timeout");
      assertThat(reply.closed()).isTrue();
      assertThat(waited).isBetween(Duration.ofMillis(1800), Duration.ofMillis(3500));
      assertThat(gateway.accessRecord(reply.header("X-Request-Id")).get("reason").asText())
          .isEqualTo("request_timeout");
    }
    assertThat(upstream.seen()).isEmpty();
  }

  @Test void answers408WhenAStreamedUploadStallsLongerThanIdle() throws Exception {
    long cutBefore = upstream.uploadsCut();
    try (SSLSocket socket = gateway.connect()) {
      write(socket.getOutputStream(), "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n0123456789");
      long start = System.nanoTime();
      RawReply reply = RawReply.read(socket, Duration.ofSeconds(6));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      assertThat(reply.status()).as(reply.text()).isEqualTo(408);
      assertThat(reply.closed()).isTrue();
      assertThat(waited).isBetween(Duration.ofMillis(1300), Duration.ofMillis(3500));
    }
    GatewayHarness.awaitTrue(() -> upstream.uploadsCut() == cutBefore + 1, Duration.ofSeconds(5),
        "the upstream upload to be cut, never completed");
  }

  private static WebSocketConnectOptions handshake() {
    return new WebSocketConnectOptions().setHost("localhost").setPort(gateway.port()).setSsl(true).setURI("/ws")
        .addHeader("Origin", "https://localhost:8443");
  }

  /** Reads exactly one response with a Content-Length body, leaving the connection open. */
  private static RawReply readOne(SSLSocket socket) throws Exception {
    socket.setSoTimeout(5000);
    var in = socket.getInputStream();
    StringBuilder text = new StringBuilder();
    while (!text.toString().contains("\r\n\r\n")) text.append((char) in.read());
    RawReply head = new RawReply(text.toString(), false);
    int length = Integer.parseInt(head.header("Content-Length"));
    for (int i = 0; i < length; i++) text.append((char) in.read());
    return new RawReply(text.toString(), false);
  }

  private static void write(OutputStream out, String text) throws Exception {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
