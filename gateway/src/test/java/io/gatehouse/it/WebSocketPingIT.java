package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.net.PemTrustOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gateway PINGs find a client that vanished without a FIN: through a real gateway over TLS to a real upstream, with
 * {@code websocket_idle} 4 s, so the gateway pings a client silent for 1 s. On {@code main} before this, n8n's bytes
 * kept a tunnel to a dead client open, and nothing asked a quiet one whether it was still there.
 */
class WebSocketPingIT {
  private static final String TIMEOUTS =
      "{ upstream_connect: \"2s\", upstream_response: \"10s\", drain: \"5s\", websocket_idle: \"4s\" }";
  private static final String OUR_PAYLOAD = "gatehouse-ping";

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;
  private static WebSocketClient client;
  private static WebSocketClient deflatingClient;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), GatewayHarness.DEFAULT_ROUTES, "",
        GatewayHarness.Options.DEFAULTS.withTimeouts(TIMEOUTS));
    PemTrustOptions trust = new PemTrustOptions().addCertPath(gateway.dir().resolve("certs/ca.crt").toString());
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setTrustOptions(trust));
    deflatingClient = vertx.createWebSocketClient(
        new WebSocketClientOptions().setSsl(true).setTrustOptions(trust).setTryUsePerMessageCompression(true));
  }

  @AfterAll static void stop() {
    client.close().await();
    deflatingClient.close().await();
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
  }

  @Test void pingsASilentClientAndKeepsTheTunnelOpenWhileItAnswersWithoutN8nSeeingThePongs() throws Exception {
    try (RawWebSocketClient ws = RawWebSocketClient.open(gateway, "/ws")) {
      long start = System.nanoTime();
      RawWebSocketClient.Frame ping = ws.read(Duration.ofSeconds(3));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      assertThat(waited).isBetween(Duration.ofMillis(800), Duration.ofMillis(2500));
      assertThat(ping.opcode()).isEqualTo(RawWebSocketClient.PING);
      assertThat(ping.fin()).isTrue();
      assertThat(ping.masked()).as("a server frame is never masked").isFalse();
      assertThat(ping.text()).isEqualTo(OUR_PAYLOAD);

      // Answering every ping for longer than websocket_idle, sending nothing else.
      int pings = 1;
      ws.send(0x80 | RawWebSocketClient.PONG, ping.payload());
      long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      while (System.nanoTime() < until) {
        RawWebSocketClient.Frame next = ws.read(Duration.ofSeconds(3));
        assertThat(next).as("the tunnel to stay open while its client answers").isNotNull();
        assertThat(next.opcode()).isEqualTo(RawWebSocketClient.PING);
        ws.send(0x80 | RawWebSocketClient.PONG, next.payload());
        pings++;
      }
      assertThat(pings).isGreaterThanOrEqualTo(5);

      // A PONG of the client's own is not ours to drop.
      ws.send(0x80 | RawWebSocketClient.PONG, "the client's own".getBytes());
      ws.sendText("still open");
      assertThat(nextText(ws)).isEqualTo("still open");
    }
    assertThat(upstream.pongs()).containsExactly("the client's own");
  }

  @Test void closesAClientThatAnswersNothingAfterWebsocketIdleThoughN8nKeepsSending() throws Exception {
    int pings = 0;
    int ticks = 0;
    Duration waited;
    try (RawWebSocketClient ws = RawWebSocketClient.open(gateway, "/ws-chatty?gap=200")) {
      long start = System.nanoTime();
      for (RawWebSocketClient.Frame f = ws.read(Duration.ofSeconds(9)); f != null; f = ws.read(Duration.ofSeconds(9))) {
        if (f.opcode() == RawWebSocketClient.PING) pings++;
        else if (f.opcode() == RawWebSocketClient.TEXT && f.text().startsWith("tick-")) ticks++;
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("still open").isLessThan(Duration.ofSeconds(10));
      }
      waited = Duration.ofNanos(System.nanoTime() - start);
    }

    assertThat(waited).isBetween(Duration.ofMillis(3500), Duration.ofMillis(7000));
    assertThat(ticks).as("n8n kept sending all along").isGreaterThanOrEqualTo(10);
    assertThat(pings).as("a ping each second the client stayed silent").isBetween(2, 5);
    GatewayHarness.awaitTrue(() -> upstream.webSocketsClosed() == upstream.webSocketsOpened(), Duration.ofSeconds(5),
        "the upstream side of the tunnel to close too");
  }

  @Test void keepsAQuietTunnelOpenForAVertxClientThatAnswersPingsItself() throws Exception {
    WebSocket ws = client.connect(handshake("/ws")).await();
    AtomicInteger pings = new AtomicInteger();
    AtomicBoolean closed = new AtomicBoolean();
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    ws.frameHandler(f -> { if (f.type() == WebSocketFrameType.PING) pings.incrementAndGet(); });
    ws.textMessageHandler(received::add);
    ws.closeHandler(v -> closed.set(true));

    Thread.sleep(5_500);

    assertThat(closed).as("quiet for longer than websocket_idle").isFalse();
    assertThat(pings.get()).isGreaterThanOrEqualTo(4);
    ws.writeTextMessage("still echoing").await();
    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("still echoing");
    assertThat(upstream.pongs()).isEmpty();
    ws.close().await();
  }

  @Test void interleavesPingsBetweenTheFragmentsOfN8nsMessageAndTheClientReassemblesIt() throws Exception {
    List<String> frames = new CopyOnWriteArrayList<>();
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    // Handlers set before the handshake: n8n's first fragment leaves right behind the 101, often in the same TLS
    // record, and a frame that arrives before its handler is set is dropped by the client (seen as a message that
    // never completed: CONTINUATION first, no TEXT).
    ClientWebSocket ws = client.webSocket();
    ws.frameHandler(f -> frames.add(f.type() + (f.isFinal() ? "" : "+")));
    ws.textMessageHandler(received::add);
    ws.connect(handshake("/ws-fragments?n=5&gap=500")).await();

    assertThat(received.poll(8, TimeUnit.SECONDS)).isEqualTo(TestUpstream.fragmented(5));
    // Vert.x hands the message over before it shows the frame handler the last fragment.
    GatewayHarness.awaitTrue(() -> frames.contains("CONTINUATION"), Duration.ofSeconds(2), "the last fragment");

    List<String> message = frames.stream().filter(f -> !f.equals("PING")).toList();
    assertThat(message).containsExactly("TEXT+", "CONTINUATION+", "CONTINUATION+", "CONTINUATION+", "CONTINUATION");
    int firstPing = frames.indexOf("PING");
    assertThat(firstPing).as("a ping between the first and the last fragment: " + frames)
        .isGreaterThan(frames.indexOf("TEXT+")).isLessThan(frames.indexOf("CONTINUATION"));
    ws.close().await();
  }

  @Test void keepsPermessageDeflateEndToEndWithPingsBetweenCompressedFrames() throws Exception {
    WebSocket ws = deflatingClient.connect(handshake("/ws-chatty?gap=100")).await();
    AtomicInteger pings = new AtomicInteger();
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    ws.frameHandler(f -> { if (f.type() == WebSocketFrameType.PING) pings.incrementAndGet(); });
    ws.textMessageHandler(received::add);

    assertThat(ws.headers().get("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
    TestUpstream.Seen seen = upstream.seen().stream().filter(s -> s.uri().startsWith("/ws-chatty")).findFirst()
        .orElseThrow();
    assertThat(seen.header("sec-websocket-extensions")).contains("permessage-deflate");

    Thread.sleep(3_500);
    assertThat(pings.get()).isGreaterThanOrEqualTo(2);
    String big = "compressible push payload ".repeat(400);
    ws.writeTextMessage(big).await();
    int ticks = 0;
    int next = -1;
    for (String message = received.poll(5, TimeUnit.SECONDS); !big.equals(message);
        message = received.poll(5, TimeUnit.SECONDS), ticks++) {
      assertThat(message).as("each tick whole and in order").isNotNull().startsWith("tick-");
      int n = Integer.parseInt(message.substring(5, message.indexOf(' ')));
      if (next >= 0) assertThat(n).isEqualTo(next);
      assertThat(message).isEqualTo("tick-" + n + " " + "n8n push event payload ".repeat(20));
      next = n + 1;
    }
    assertThat(ticks).isGreaterThanOrEqualTo(25);
    assertThat(upstream.pongs()).isEmpty();
    ws.close().await();
  }

  private static WebSocketConnectOptions handshake(String uri) {
    return new WebSocketConnectOptions().setHost("localhost").setPort(gateway.port()).setSsl(true).setURI(uri)
        .addHeader("Origin", "https://localhost:8443");
  }

  /** The next text frame's payload, answering nothing on the way. */
  private static String nextText(RawWebSocketClient ws) throws Exception {
    for (RawWebSocketClient.Frame f = ws.read(Duration.ofSeconds(5)); f != null; f = ws.read(Duration.ofSeconds(5))) {
      if (f.opcode() == RawWebSocketClient.TEXT) return f.text();
    }
    throw new AssertionError("closed before a text frame");
  }
}
