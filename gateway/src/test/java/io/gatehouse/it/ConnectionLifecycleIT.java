package io.gatehouse.it;

import static io.gatehouse.it.RawHttp2Connection.DATA;
import static io.gatehouse.it.RawHttp2Connection.END_HEADERS;
import static io.gatehouse.it.RawHttp2Connection.END_STREAM;
import static io.gatehouse.it.RawHttp2Connection.GOAWAY;
import static io.gatehouse.it.RawHttp2Connection.HEADERS;
import static io.gatehouse.it.RawHttp2Connection.RST_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a client connection ends brings {@code gatehouse_open_connections} back to exactly 0: the one cleanup is
 * registered on the Netty channel's close. Before it, a refusal replaced Vert.x's single close handler, so the gauge
 * only rose (after 40 refused requests on connections the gateway closed it read 40 with none open), and WebSocket
 * tunnels leaked their header clocks. Also the connection limits ({@code server.max_connections},
 * {@code server.max_connections_per_ip}): over a limit a connection is closed on arrival and counted, other clients
 * are still served, and a reload changes the limit for new connections.
 *
 * <p>Source addresses: the gateway listens on 127.0.0.1; Linux routes all of 127.0.0.0/8 to {@code lo}, so a client
 * socket bound to 127.0.0.2 reaches it and the gateway sees a second peer.
 */
@Execution(ExecutionMode.SAME_THREAD)
class ConnectionLifecycleIT {
  private static final String ROUTES = """
      routes:
        - name: "test-webhooks"
          match: ["/webhook-test/"]
          deny: "all"
        - name: "app"
          match: ["/app/", "/slow", "/upload", "/ws", "/pause-response"]
          upstream: "main"
          allow: ["127.0.0.0/8"]
      """;
  /** Short header and idle limits, so the rows that wait for the gateway to close end within the test. */
  private static final String TIMEOUTS = "{ idle: \"1500ms\", request_header: \"1s\", upstream_connect: \"2s\","
      + " upstream_response: \"10s\", drain: \"1s\" }";
  /** Long limits for the connection-limit tests: a close seen there is the limit's, never a timeout's. */
  private static final String LONG_TIMEOUTS = "{ idle: \"30s\", request_header: \"30s\", upstream_connect: \"2s\","
      + " upstream_response: \"10s\", drain: \"1s\" }";
  private static final Duration BACK_TO_ZERO = Duration.ofSeconds(5);
  private static final InetAddress SECOND_SOURCE = address("127.0.0.2");

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;
  private static WebSocketClient webSockets;

  /**
   * One way for a connection to end. {@code run} leaves open in {@code open} what the gateway itself must close:
   * they are closed only after the gauge has been seen back at 0.
   */
  record Case(String name, Ending run) {
    @Override public String toString() { return name; }
  }

  @FunctionalInterface
  interface Ending {
    void run(List<AutoCloseable> open) throws Exception;
  }

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), ROUTES, "  max_body: \"1KiB\"\n",
        GatewayHarness.Options.DEFAULTS.withTimeouts(TIMEOUTS));
    webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(gateway.dir().resolve("certs/ca.crt").toString())));
  }

  @AfterAll static void stop() {
    if (webSockets != null) webSockets.close().await();
    if (gateway != null) gateway.close();
    if (upstream != null) upstream.close();
    if (vertx != null) vertx.close().await();
  }

  static Stream<Case> endings() {
    return Stream.of(
        new Case("400 for a bad path /%2e%2e/x", open -> {
          RawReply reply = RawReply.exchange(gateway, get("/%2e%2e/x"), Duration.ofMillis(500));
          assertThat(reply.status()).isEqualTo(400);
          assertAccessRecord(reply, 400);
        }),
        new Case("400 for two Host headers", open -> {
          RawReply reply = RawReply.exchange(gateway,
              "GET /app/x HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n", Duration.ofSeconds(2));
          assertThat(reply.status()).isEqualTo(400);
          assertThat(reply.closed()).as("closed by the gateway after a malformed head").isTrue();
          assertAccessRecord(reply, 400);
        }),
        new Case("413 with the body unread (Content-Length over max_body)", open -> {
          SSLSocket socket = gateway.connect();
          open.add(socket);
          write(socket, "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(100));
          RawReply reply = RawReply.read(socket, Duration.ofSeconds(2));
          assertThat(reply.status()).isEqualTo(413);
          assertThat(reply.closed()).as("closed by the gateway: the rest of the body is unread").isTrue();
          assertAccessRecord(reply, 413);
        }),
        new Case("404 for a path no route matches", open -> {
          RawReply reply = RawReply.exchange(gateway, get("/nowhere"), Duration.ofMillis(500));
          assertThat(reply.status()).isEqualTo(404);
          assertAccessRecord(reply, 404);
        }),
        new Case("request_header timeout: half a head, then silence", open -> {
          SSLSocket socket = gateway.connect();
          open.add(socket);
          write(socket, "GET /app/x HTTP/1.1\r\nHost: loc");
          RawReply reply = RawReply.read(socket, Duration.ofSeconds(4));
          assertThat(reply.closed()).as("closed by request_header (1 s)").isTrue();
        }),
        new Case("idle keep-alive connection closed after idle", open -> {
          SSLSocket socket = gateway.connect();
          open.add(socket);
          write(socket, get("/app/x"));
          RawReply reply = RawReply.read(socket, Duration.ofSeconds(4));
          assertThat(reply.status()).isEqualTo(200);
          assertThat(reply.closed()).as("closed by idle (1.5 s) after the answer").isTrue();
        }),
        new Case("client disconnects mid-body", open -> {
          try (SSLSocket socket = gateway.connect()) {
            write(socket, "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(300));
            Thread.sleep(200);
          }
        }),
        new Case("client disconnects while the upstream is slow", open -> {
          int before = upstream.seen().size();
          try (SSLSocket socket = gateway.connect()) {
            write(socket, get("/slow?ms=3000"));
            GatewayHarness.awaitTrue(() -> upstream.seen().size() > before, Duration.ofSeconds(5), "request forwarded");
          }
        }),
        new Case("WebSocket closed by the client", open -> {
          WebSocket ws = webSockets.connect(webSocket()).await();
          GatewayHarness.awaitTrue(() -> metric("gatehouse_open_websockets") == 1, BACK_TO_ZERO, "one WebSocket open");
          ws.close().await();
          GatewayHarness.awaitTrue(() -> metric("gatehouse_open_websockets") == 0, BACK_TO_ZERO, "WebSockets back to 0");
        }),
        new Case("WebSocket closed by the upstream", open -> {
          WebSocket ws = webSockets.connect(webSocket()).await();
          GatewayHarness.awaitTrue(() -> metric("gatehouse_open_websockets") == 1, BACK_TO_ZERO, "one WebSocket open");
          ws.writeTextMessage("close").await();
          GatewayHarness.awaitTrue(ws::isClosed, BACK_TO_ZERO, "the client side to see the upstream's close");
          GatewayHarness.awaitTrue(() -> metric("gatehouse_open_websockets") == 0, BACK_TO_ZERO, "WebSockets back to 0");
        }),
        new Case("HTTP/2 connection closed by the client after a request", open -> {
          try (RawHttp2Connection c = h2()) {
            c.frame(HEADERS, END_STREAM | END_HEADERS, 1, c.get(1, "/app/h2"));
            c.flush();
            awaitResponse(c, 1);
          }
        }),
        // The client that sent GOAWAY keeps its socket open; the gateway ends the connection with idle (1.5 s).
        new Case("HTTP/2 connection the client ends with GOAWAY", open -> {
          RawHttp2Connection c = h2();
          open.add(c);
          c.frame(HEADERS, END_STREAM | END_HEADERS, 1, c.get(1, "/app/h2"));
          c.flush();
          awaitResponse(c, 1);
          c.frame(GOAWAY, 0, 0, new byte[] {0, 0, 0, 1, 0, 0, 0, 0}); // last stream 1, NO_ERROR
          c.flush();
        }),
        new Case("HTTP/2 connection the gateway ends with GOAWAY after idle", open -> {
          RawHttp2Connection c = h2();
          open.add(c);
          c.frame(HEADERS, END_STREAM | END_HEADERS, 1, c.get(1, "/app/h2"));
          c.flush();
          awaitResponse(c, 1);
          GatewayHarness.awaitTrue(c::ended, Duration.ofSeconds(5), "the gateway to end the idle HTTP/2 connection");
          assertThat(c.snapshot().outcome()).isEqualTo("GOAWAY 0");
        }),
        new Case("40 refused requests on connections the gateway closes", open -> {
          for (int i = 0; i < 40; i++) {
            SSLSocket socket = gateway.connect();
            open.add(socket);
            write(socket, "POST /webhook-test/x HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{");
            RawReply reply = RawReply.read(socket, Duration.ofSeconds(2));
            assertThat(reply.status()).as("refusal %d", i).isEqualTo(403);
            assertThat(reply.closed()).as("connection %d closed by the gateway", i).isTrue();
            assertAccessRecord(reply, 403);
          }
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endings")
  void openConnectionsGaugeReturnsToZero(Case row) throws Exception {
    GatewayHarness.awaitTrue(() -> openConnections() == 0, BACK_TO_ZERO, "no connection open before the row");
    List<AutoCloseable> open = new ArrayList<>();
    try {
      row.run().run(open);
      GatewayHarness.awaitTrue(() -> openConnections() == 0, BACK_TO_ZERO,
          "gatehouse_open_connections back to 0 after: " + row.name() + " (reads " + openConnections() + ")");
    } finally {
      for (AutoCloseable c : open) c.close();
    }
    Thread.sleep(300);
    assertThat(openConnections()).as("gauge after the client closed what it held too").isZero();
  }

  /**
   * A client that resets its stream left; n8n did nothing wrong. The gateway's own abort of the upstream request
   * used to win the race and record 502 upstream_unavailable (and count an upstream reset): h2load resets whatever
   * is in flight at the end of every run.
   */
  @Test void anHttp2StreamResetByTheClientIsRecordedAsClientClosedNotAsAnUpstreamFailure() throws Exception {
    double upstreamErrorsBefore = MetricsText.value(gateway.metrics(), "gatehouse_upstream_errors_total");
    int recordsBefore = gateway.accessLog(0).size();
    try (RawHttp2Connection c = h2()) {
      c.frame(HEADERS, END_HEADERS | END_STREAM, 1, c.get(1, "/slow?ms=3000"));
      c.frame(HEADERS, END_HEADERS | END_STREAM, 3, c.get(3, "/pause-response?ms=3000"));
      c.flush();
      awaitFrame(c, 3, DATA); // the head and first chunk of stream 3 are out; stream 1 waits for n8n's head
      byte[] cancel = {0, 0, 0, 0x8};
      c.frame(RST_STREAM, 0, 1, cancel);
      c.frame(RST_STREAM, 0, 3, cancel);
      c.flush();
      List<JsonNode> records = gateway.accessLog(recordsBefore + 2);
      // Unanswered: 499. Answered in part: the status that went out, and why it was cut.
      for (Map.Entry<String, Integer> row : Map.of("/slow", 499, "/pause-response", 200).entrySet()) {
        String path = row.getKey();
        JsonNode record = records.stream().skip(recordsBefore).filter(r -> r.get("path").asText().equals(path))
            .findFirst().orElseThrow(() -> new AssertionError("no record for " + path + ": " + records));
        assertThat(record.get("status").asInt()).as("status of %s", path).isEqualTo(row.getValue());
        assertThat(record.get("reason").asText()).as("reason of %s", path).isEqualTo("client_closed");
      }
    }
    assertThat(MetricsText.value(gateway.metrics(), "gatehouse_upstream_errors_total"))
        .as("no upstream error counted").isEqualTo(upstreamErrorsBefore);
  }

  /**
   * A bodiless request refused as soon as its head is read (here a deny rule; a GET to a Gatehouse endpoint alike)
   * was answered without {@code Connection: close} and then the connection was closed anyway: its empty end was still
   * on its way, so it counted as an unread body. A client that reused the connection, as the answer allowed, got
   * nothing back (Java's HttpClient: "header parser received no bytes").
   */
  @Test void aBodilessRequestRefusedOnTheSpotLeavesTheConnectionOpenAsItsAnswerSays() throws Exception {
    for (String first : List.of("GET /webhook-test/x HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "POST /webhook-test/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n",
        "GET /webhook-test/x HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n")) {
      try (SSLSocket socket = gateway.connect()) {
        OutputStream out = socket.getOutputStream();
        out.write(first.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        RawReply refused = RawReply.read(socket, Duration.ofMillis(500));
        assertThat(refused.status()).as(first).isEqualTo(403);
        assertThat(refused.header("Connection")).as(first).isNotEqualToIgnoringCase("close");
        assertThat(refused.closed()).as("closed after " + first).isFalse();

        out.write("GET /app/again HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(RawReply.read(socket, Duration.ofSeconds(2)).status()).as("second request after " + first)
            .isEqualTo(200);
      }
    }
  }

  private static void awaitFrame(RawHttp2Connection c, int stream, int type) throws Exception {
    for (RawHttp2Connection.Frame f; (f = c.poll(Duration.ofSeconds(5))) != null; ) {
      if (f.stream() == stream && f.type() == type) return;
    }
    throw new AssertionError("no frame of type " + type + " on stream " + stream + ": " + c.snapshot());
  }

  @Test void closesConnectionsOverThePerIpLimitOnArrivalServesOtherAddressesAndAReloadChangesTheLimit() throws Exception {
    try (GatewayHarness limited = GatewayHarness.start(upstream.url(), ROUTES, "  max_connections_per_ip: 20\n",
        GatewayHarness.Options.DEFAULTS.withTimeouts(LONG_TIMEOUTS));
         Held held = new Held()) {
      for (int i = 0; i < 20; i++) held.add(limited.connect());
      GatewayHarness.awaitTrue(() -> metric(limited, "gatehouse_open_connections") == 20, BACK_TO_ZERO, "20 open");

      assertRefusedOnArrival(limited, null);
      assertThat(refused(limited, "per_ip")).as("refused per_ip").isEqualTo(1);
      assertClosedBeforeAnyHandshake(limited);
      assertThat(refused(limited, "per_ip")).as("refused per_ip").isEqualTo(2);
      assertServed(limited, SECOND_SOURCE);
      assertThat(held.allOpen()).as("the 20 held connections untouched").isTrue();

      // A reload raises the limit to 25 for new connections.
      String raised = Files.readString(limited.configFile())
          .replace("max_connections_per_ip: 20", "max_connections_per_ip: 25");
      GatewayProcess.writeAtomically(limited.configFile(), raised);
      assertThat(limited.gateway().apply(GatewayHarness.load(limited.configFile()))).as("restart needed").isEmpty();
      for (int i = 0; i < 5; i++) held.add(limited.connect());
      GatewayHarness.awaitTrue(() -> metric(limited, "gatehouse_open_connections") == 25, BACK_TO_ZERO, "25 open");
      assertRefusedOnArrival(limited, null);
      assertThat(refused(limited, "per_ip")).as("refused per_ip after the reload").isEqualTo(3);

      held.close();
      GatewayHarness.awaitTrue(() -> metric(limited, "gatehouse_open_connections") == 0, BACK_TO_ZERO, "back to 0");
      assertServed(limited, null);
    }
  }

  @Test void closesConnectionsOverTheTotalLimitOnArrivalWhateverTheirAddress() throws Exception {
    try (GatewayHarness limited = GatewayHarness.start(upstream.url(), ROUTES, "  max_connections: 10\n",
        GatewayHarness.Options.DEFAULTS.withTimeouts(LONG_TIMEOUTS));
         Held held = new Held()) {
      for (int i = 0; i < 10; i++) held.add(limited.connect());
      GatewayHarness.awaitTrue(() -> metric(limited, "gatehouse_open_connections") == 10, BACK_TO_ZERO, "10 open");

      assertRefusedOnArrival(limited, SECOND_SOURCE);
      assertRefusedOnArrival(limited, null);
      assertThat(refused(limited, "total")).as("refused total").isEqualTo(2);
      assertThat(refused(limited, "per_ip")).as("refused per_ip").isZero();

      held.remove(0).close();
      GatewayHarness.awaitTrue(() -> metric(limited, "gatehouse_open_connections") == 9, BACK_TO_ZERO, "9 open");
      assertServed(limited, SECOND_SOURCE);
      held.close();
      GatewayHarness.awaitTrue(() -> metric(limited, "gatehouse_open_connections") == 0, BACK_TO_ZERO, "back to 0");
    }
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  /** Connections a test holds open; closed together. */
  private static final class Held extends ArrayList<SSLSocket> implements AutoCloseable {
    boolean allOpen() throws IOException {
      for (SSLSocket socket : this) {
        socket.setSoTimeout(50);
        if (RawReply.read(socket, Duration.ofMillis(50)).closed()) return false;
      }
      return true;
    }

    @Override public void close() throws IOException {
      for (SSLSocket socket : this) socket.close();
      clear();
    }
  }

  /**
   * A new connection (from {@code source}, or the default 127.0.0.1) is closed at once: the handshake fails or the
   * first read sees the end, well before any timeout, and a request written on it gets no answer.
   */
  private static void assertRefusedOnArrival(GatewayHarness gw, InetAddress source) throws Exception {
    long start = System.nanoTime();
    RawReply reply;
    try (SSLSocket socket = tlsFrom(gw, source)) {
      socket.startHandshake();
      try {
        write(socket, get("/app/refused"));
      } catch (IOException closedAlready) {
        // The close may reach the client before its request does.
      }
      reply = RawReply.read(socket, Duration.ofSeconds(5));
    } catch (IOException handshakeFailed) {
      reply = new RawReply("", true);
    }
    assertThat(reply.closed()).as("connection over the limit closed").isTrue();
    assertThat(reply.text()).as("nothing answered on it").isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("closed on arrival").isLessThan(Duration.ofSeconds(3));
  }

  /**
   * A TCP connection over the per-address limit is closed as it is accepted: it gets no TLS handshake (which costs
   * the gateway a public-key operation) even though it sends nothing, where an admitted one would wait for its
   * ClientHello until request_header.
   */
  private static void assertClosedBeforeAnyHandshake(GatewayHarness gw) throws Exception {
    long start = System.nanoTime();
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gw.port())) {
      socket.setSoTimeout(3000);
      assertThat(socket.getInputStream().read()).as("closed without a byte").isEqualTo(-1);
    } catch (java.net.SocketException reset) {
      // A reset is a close too.
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("closed at accept").isLessThan(Duration.ofSeconds(2));
  }

  private static void assertServed(GatewayHarness gw, InetAddress source) throws Exception {
    try (SSLSocket socket = tlsFrom(gw, source)) {
      socket.startHandshake();
      write(socket, "GET /app/served HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      RawReply reply = RawReply.read(socket, Duration.ofSeconds(5));
      assertThat(reply.status()).as("served from %s", source == null ? "127.0.0.1" : source).isEqualTo(200);
    }
  }

  private static SSLSocket tlsFrom(GatewayHarness gw, InetAddress source) throws IOException {
    SSLSocket socket = (SSLSocket) gw.sslContext().getSocketFactory().createSocket();
    if (source != null) socket.bind(new InetSocketAddress(source, 0));
    socket.connect(new InetSocketAddress(gw.host(), gw.port()), 5_000);
    return socket;
  }

  private static RawHttp2Connection h2() throws Exception {
    RawHttp2Connection c = RawHttp2Connection.openTls(gateway.sslContext(), "localhost", gateway.port());
    return c.preface(Map.of()).startReading();
  }

  private static void awaitResponse(RawHttp2Connection c, int stream) throws Exception {
    for (RawHttp2Connection.Frame f; (f = c.poll(Duration.ofSeconds(5))) != null; ) {
      if (f.stream() == stream && (f.flags() & END_STREAM) != 0) return;
    }
    throw new AssertionError("no complete response on stream " + stream + ": " + c.snapshot());
  }

  private static void assertAccessRecord(RawReply reply, int status) throws Exception {
    String id = reply.header("X-Request-Id");
    if (id == null) id = reply.json().get("request_id").asText();
    JsonNode record = gateway.accessRecord(id);
    assertThat(record.get("status").asInt()).as("access record status for %s", id).isEqualTo(status);
  }

  private static WebSocketConnectOptions webSocket() {
    return new WebSocketConnectOptions().setHost("localhost").setPort(gateway.port()).setSsl(true).setURI("/ws")
        .addHeader("Origin", "https://localhost:8443");
  }

  private static String get(String target) {
    return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
  }

  private static void write(SSLSocket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static double openConnections() {
    return metric("gatehouse_open_connections");
  }

  private static double metric(String name) {
    return metric(gateway, name);
  }

  private static double metric(GatewayHarness gw, String name) {
    try {
      return MetricsText.value(gw.metrics(), name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static double refused(GatewayHarness gw, String limit) throws Exception {
    return MetricsText.value(gw.metrics(), "gatehouse_connections_refused_total", Map.of("limit", limit));
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
