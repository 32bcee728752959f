package io.gatehouse.it;

import static io.gatehouse.it.RawHttp2Connection.CONTINUATION;
import static io.gatehouse.it.RawHttp2Connection.DATA;
import static io.gatehouse.it.RawHttp2Connection.END_HEADERS;
import static io.gatehouse.it.RawHttp2Connection.END_STREAM;
import static io.gatehouse.it.RawHttp2Connection.HEADERS;
import static io.gatehouse.it.RawHttp2Connection.PING;
import static io.gatehouse.it.RawHttp2Connection.RST_STREAM;
import static io.gatehouse.it.RawHttp2Connection.SETTINGS;
import static io.gatehouse.it.RawHttp2Connection.SETTINGS_HEADER_TABLE_SIZE;
import static io.gatehouse.it.RawHttp2Connection.SETTINGS_INITIAL_WINDOW_SIZE;
import static io.gatehouse.it.RawHttp2Connection.WINDOW_UPDATE;
import static io.gatehouse.it.RawHttp2Connection.intPayload;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/2 attacks against a real gateway in a child JVM started with the production flags of the README
 * ({@code -Xmx128m -XX:+UseSerialGC -XX:MaxDirectMemorySize=128m}, so buffering that grows without bound ends in
 * an OutOfMemoryError instead of passing on a roomy test heap), over real TLS with ALPN {@code h2}, in front of a
 * real upstream in this JVM. Each row is one attack; for each the test asserts
 * <ol>
 *   <li>what the gateway did to the attacking connection (GOAWAY and its code, RST_STREAMs, a close), and how soon;</li>
 *   <li>that a fresh HTTP/2 client and a fresh HTTP/1.1 client are served during and after the attack;</li>
 *   <li>how many requests reached the upstream (and, for the stalled download, how many bytes it produced);</li>
 *   <li>the child's live heap after a full collection, its peak resident size, and no OutOfMemoryError in its log;</li>
 *   <li>the metric that counts it.</li>
 * </ol>
 * One gateway serves every row, in order, so a row also shows the previous ones left nothing behind.
 */
@Execution(ExecutionMode.SAME_THREAD)
class Http2AbuseIT {
  /** README "Running it in production", minus what only matters for a long-lived process. */
  private static final List<String> PRODUCTION_JVM = List.of("-Xms16m", "-Xmx128m", "-Xmn16m",
      "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:+UseSerialGC",
      "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=96m", "-Xss512k", "-XX:MaxDirectMemorySize=128m",
      "-XX:TieredStopAtLevel=1");
  /**
   * Short idle and header deadlines, so the rows that hold a connection open see the gateway end it within the
   * test; production defaults are 60 s and 10 s.
   */
  private static final String TIMEOUTS =
      "{ idle: \"5s\", request_header: \"3s\", upstream_connect: \"2s\", upstream_response: \"10s\", drain: \"2s\" }";
  private static final long LIVE_HEAP_LIMIT_MIB = 48;
  private static final long PEAK_RSS_LIMIT_MIB = 420;

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayProcess gateway;
  private static SSLContext trust;

  /**
   * One attack: {@code run} performs it and returns how the attacking connection ended (it may leave connections
   * open in {@link Attack#open}: they are closed only after memory has been measured with them still alive).
   *
   * @param expectedOutcome what {@link RawHttp2Connection.Ending#outcome()} must be
   * @param within how soon the gateway must have reacted (from opening the attacking connection)
   * @param maxUpstreamRequests how many requests the attack may cause at the upstream
   * @param counter the metric series that must grow, or a {@code gatehouse_open_connections} check (see the rows)
   */
  record Case(String name, AttackBody run, String expectedOutcome, Duration within, int maxUpstreamRequests,
      String counter) {
    @Override public String toString() { return name; }
  }

  @FunctionalInterface
  interface AttackBody {
    RawHttp2Connection.Ending run(Attack attack) throws Exception;
  }

  /** What an attack body gets: new connections to the gateway, closed after the row's measurements. */
  static final class Attack {
    final List<AutoCloseable> open = new ArrayList<>();

    RawHttp2Connection connect(Map<Integer, Integer> settings) throws Exception {
      RawHttp2Connection connection = RawHttp2Connection.openTls(trust, "localhost", gateway.port());
      open.add(connection);
      return connection.preface(settings);
    }

    RawHttp2Connection connect() throws Exception {
      return connect(Map.of());
    }
  }

  static Stream<Case> attacks() {
    return Stream.of(
        // Run after rapid reset, this row once found the upstream pool short of the slots that reset streams had held
        // (a forwarder that started after its stream was gone never gave its connection back): the same row runs again
        // last, after every other attack.
        new Case("200 streams at once, over SETTINGS_MAX_CONCURRENT_STREAMS 128",
            Http2AbuseIT::overConcurrentStreams, "open", Duration.ofSeconds(5), 128, "none"),
        new Case("rapid reset (CVE-2023-44487): 5,000 HEADERS + RST_STREAM pairs on one connection",
            Http2AbuseIT::rapidReset, "GOAWAY 11", Duration.ofSeconds(5), 210, kind("enhance_your_calm")),
        new Case("CONTINUATION flood, empty frames: HEADERS without END_HEADERS, then 100,000 CONTINUATIONs",
            a -> continuationFlood(a, 0), "GOAWAY 11", Duration.ofSeconds(5), 0, kind("enhance_your_calm")),
        new Case("CONTINUATION flood, growing header list: 16 KiB CONTINUATIONs without end",
            a -> continuationFlood(a, 16 * 1024), "GOAWAY 1", Duration.ofSeconds(5), 0, kind("protocol_error")),
        new Case("HPACK bomb: one 4 KB dynamic-table entry referenced 16,000 times per block, stream after stream",
            Http2AbuseIT::hpackBomb, "GOAWAY 11", Duration.ofSeconds(5), 0, kind("enhance_your_calm")),
        new Case("HPACK dynamic table size update to 1 MiB, over SETTINGS_HEADER_TABLE_SIZE 4096",
            Http2AbuseIT::tableSizeUpdate, "GOAWAY 9", Duration.ofSeconds(5), 0, kind("compression_error")),
        // Enough ACKs (9 MB) to outgrow the gateway's socket send buffer on any machine: with 400,000 (3.6 MB) a CI
        // machine's kernel took every ACK, nothing queued in the gateway, and the row saw only the idle GOAWAY.
        new Case("SETTINGS flood: up to 1,000,000 SETTINGS frames, ACKs never read",
            a -> controlFlood(a, SETTINGS, new byte[] {0, SETTINGS_HEADER_TABLE_SIZE, 0, 0, 0x10, 0}, 1_000_000),
            "GOAWAY 11", Duration.ofSeconds(8), 0, kind("enhance_your_calm")),
        new Case("PING flood: up to 1,000,000 PINGs, ACKs never read",
            a -> controlFlood(a, PING, new byte[8], 1_000_000), "GOAWAY 11", Duration.ofSeconds(8), 0,
            kind("enhance_your_calm")),
        new Case("zero-window stall: SETTINGS_INITIAL_WINDOW_SIZE 0, then a 1 GB download",
            Http2AbuseIT::zeroWindowStall, "GOAWAY 0", Duration.ofSeconds(12), 1, "idle"),
        new Case("DATA beyond the flow-control window: up to 64 MiB to a stalled upstream, WINDOW_UPDATE ignored",
            Http2AbuseIT::dataBeyondWindow, "GOAWAY 3", Duration.ofSeconds(10), 1, kind("flow_control_error")),
        new Case("WINDOW_UPDATE overflow on the connection: window over 2^31-1",
            a -> windowOverflow(a, 0), "GOAWAY 3", Duration.ofSeconds(5), 0, kind("flow_control_error")),
        new Case("WINDOW_UPDATE overflow on a stream: window over 2^31-1",
            a -> windowOverflow(a, 1), "open", Duration.ofSeconds(5), 1, "none"),
        new Case("headers over the 32 KiB header list limit: one 36 KiB header",
            Http2AbuseIT::oversizedHeaders, "open", Duration.ofSeconds(5), 0, "none"),
        new Case("200 streams at once again, after every attack above: no upstream connection was kept by them",
            Http2AbuseIT::overConcurrentStreams, "open", Duration.ofSeconds(5), 128, "none"));
  }

  private static String kind(String kind) {
    return "gatehouse_http2_errors_total{kind=\"" + kind + "\"}";
  }

  @BeforeAll
  static void startGateway() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    Path dir = Files.createTempDirectory("gatehouse-h2abuse");
    GatewayProcess.writeDevCerts(dir);
    trust = GatewayHarness.trustingDevCa(dir.resolve("certs/ca.crt"));
    gateway = GatewayProcess.run(dir, ports -> GatewayProcess.configYaml(upstream.url(), GatewayHarness.DEFAULT_ROUTES,
        "", GatewayHarness.Options.DEFAULTS.withTimeouts(TIMEOUTS), ports), Map.of(), PRODUCTION_JVM);
  }

  @AfterAll
  static void stopGateway() throws Exception {
    if (gateway != null) gateway.close();
    if (upstream != null) upstream.close();
    if (vertx != null) vertx.close().await();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void gatewayStopsAttackKeepsServingAndStaysBounded(Case row) throws Exception {
    String metricsBefore = gateway.metrics();
    int upstreamBefore = upstream.seen().size();
    Attack attack = new Attack();
    try {
      CompletableFuture<RawHttp2Connection.Ending> running = CompletableFuture.supplyAsync(() -> {
        try {
          return row.run().run(attack);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(100);
      assertOthersServed("during the attack");
      RawHttp2Connection.Ending ending = running.get(row.within().toSeconds() + 15, java.util.concurrent.TimeUnit.SECONDS);

      System.out.printf("outcome [%s]: %s%n", row.name(), ending);
      // (a) what the gateway did to the attacker, and how soon
      assertThat(ending.outcome()).as("%s: attacking connection (%s)", row.name(), ending).isEqualTo(row.expectedOutcome());
      assertThat(ending.after()).as("time to the gateway's reaction").isLessThanOrEqualTo(row.within());

      // (d) memory, measured with the attacking connections still open
      assertMemoryBounded(row.name());

      // (c) what reached the upstream, less the two bystander requests made during the attack
      int upstreamRequests = upstream.seen().size() - upstreamBefore - 2;
      assertThat(upstreamRequests).as("requests the attack caused at the upstream").isLessThanOrEqualTo(row.maxUpstreamRequests());

      // (e) counted
      String metricsAfter = gateway.metrics();
      if (row.counter().startsWith("gatehouse_")) {
        assertThat(GatewayProcess.metricValue(metricsAfter, row.counter()) - GatewayProcess.metricValue(metricsBefore, row.counter()))
            .as("%s grew; now:%n%s", row.counter(), metricsAfter.lines().filter(l -> l.startsWith("gatehouse_http2")).toList())
            .isGreaterThanOrEqualTo(1);
      }
    } finally {
      for (AutoCloseable c : attack.open) c.close();
    }
    // (b) after the attack too
    assertOthersServed("after the attack");
  }

  // ---- the attacks --------------------------------------------------------------------------------------------

  private static RawHttp2Connection.Ending rapidReset(Attack attack) throws Exception {
    RawHttp2Connection c = attack.connect().startReading();
    try {
      for (int i = 0; i < 5_000; i++) {
        int stream = 2 * i + 1;
        c.frame(HEADERS, END_STREAM | END_HEADERS, stream, c.get(stream, "/rapid-reset"));
        c.frame(RST_STREAM, 0, stream, intPayload(8)); // CANCEL
        if (i % 20 == 0) c.flush();
      }
      c.flush();
    } catch (IOException closedByGateway) {
      c.writeFailed();
    }
    return c.awaitEnd(Duration.ofSeconds(5));
  }

  /**
   * HEADERS without END_HEADERS, then CONTINUATIONs of {@code fragment} bytes that never end the block, written
   * until the gateway answers (at most 100,000).
   */
  private static RawHttp2Connection.Ending continuationFlood(Attack attack, int fragment) throws Exception {
    RawHttp2Connection c = attack.connect().startReading().awaitSettingsAcknowledged();
    byte[] filler = new byte[fragment];
    Arrays.fill(filler, (byte) 'a');
    c.frame(HEADERS, END_STREAM, 1, c.get(1, "/continuation"));
    int perBatch = fragment == 0 ? 4 : 1;
    return c.floodUntilAnswered(100_000 / perBatch, Duration.ofMillis(30), i -> {
      for (int j = 0; j < perBatch; j++) c.frame(CONTINUATION, 0, 1, filler);
    });
  }

  /**
   * A 4,000-byte value inserted into the HPACK dynamic table once (literal with incremental indexing), then index
   * 62 repeated: 1 byte on the wire for 4 KB of decoded header list each time, 64 MB per 16 KiB block, on new
   * streams until the gateway answers.
   */
  private static RawHttp2Connection.Ending hpackBomb(Attack attack) throws Exception {
    RawHttp2Connection c = attack.connect().startReading();
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    first.write(requestPrefix("/hpack-bomb"));
    first.write(new byte[] {0x40, 6});
    first.write("x-bomb".getBytes(StandardCharsets.US_ASCII));
    first.write(new byte[] {0x7f, (byte) 0xa1, 0x1e}); // 4000 = 127 + 3873, HPACK integer with a 7-bit prefix
    first.write("b".repeat(4000).getBytes(StandardCharsets.US_ASCII));
    byte[] references = new byte[16_000];
    Arrays.fill(references, (byte) 0xbe); // indexed header field 62: the newest dynamic-table entry
    first.write(references, 0, 16_384 - first.size());
    ByteArrayOutputStream next = new ByteArrayOutputStream();
    next.write(requestPrefix("/hpack-bomb"));
    next.write(references);
    // Paced by the gateway's answers (one RST_STREAM per stream), so no frame is in flight when it closes.
    RawHttp2Connection.Ending ending = c.floodUntilAnswered(1_000, Duration.ZERO, i -> {
      long until = System.nanoTime() + 1_000_000_000L;
      while (c.snapshot().resetsWith(1) < i && !c.answered() && System.nanoTime() < until) Thread.onSpinWait();
      c.frame(HEADERS, END_STREAM | END_HEADERS, 2 * i + 1, i == 0 ? first.toByteArray() : next.toByteArray());
    });
    // Each bombed stream is refused with PROTOCOL_ERROR; the 201st refusal is sent and trips Netty's limit of 200
    // RST_STREAMs sent per 30 s: GOAWAY ENHANCE_YOUR_CALM, counted, and the connection closed. (On Vert.x 5.0.10 the
    // connection closed without GOAWAY or metric: Vert.x failed with a NullPointerException in its error handling.)
    assertThat(ending.resetsWith(1)).as("bombed streams refused with PROTOCOL_ERROR").isEqualTo(201);
    return ending;
  }

  private static RawHttp2Connection.Ending tableSizeUpdate(Attack attack) throws Exception {
    RawHttp2Connection c = attack.connect().startReading();
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    // Dynamic table size update (001xxxxx) to 1,048,576: 31 + 1,048,545 in 7-bit groups.
    block.write(new byte[] {0x3f, (byte) 0xe1, (byte) 0xff, 0x3f});
    block.write(requestPrefix("/table-size"));
    c.frame(HEADERS, END_STREAM | END_HEADERS, 1, block.toByteArray());
    c.flush();
    return c.awaitEnd(Duration.ofSeconds(5));
  }

  /**
   * Control frames that each oblige an ACK, written without reading, over a socket with a 16 KiB receive buffer.
   * The gateway flushes once per read, not once per ACK, so the ACKs of one read wait in Netty's outbound buffer and
   * its limit of 10,000 queued control frames trips within the flood: GOAWAY ENHANCE_YOUR_CALM and a close. The close
   * lingers (server.LingeringClose): the attacker, still writing, reads the GOAWAY instead of a reset that would drop
   * it. (With a flush per ACK, every ACK fitted in the socket buffers, the limit
   * never tripped, and only the request_header deadline ended the connection, seconds later.)
   */
  private static RawHttp2Connection.Ending controlFlood(Attack attack, int type, byte[] payload, int count)
      throws Exception {
    RawHttp2Connection c = RawHttp2Connection.openTls(trust, "localhost", gateway.port(), 16 * 1024);
    attack.open.add(c);
    c.preface(Map.of());
    try {
      for (int i = 0; i < count; i++) {
        c.frame(type, 0, 0, payload);
        if (i % 1000 == 0) c.flush();
      }
      c.flush();
    } catch (IOException closedByGateway) {
      c.writeFailed();
      return c.snapshot();
    }
    // Every frame was accepted: read now, to see whether the gateway ends the connection at all.
    c.startReading();
    return c.awaitEnd(Duration.ofSeconds(10));
  }

  /**
   * A client that grants no stream window asks for a large response. The gateway must leave the bytes at the
   * upstream (back-pressure) rather than buffer them; the stalled response is cancelled after idle (RST_STREAM
   * CANCEL), and the connection, then without a stream, is closed after idle too (GOAWAY NO_ERROR).
   */
  private static RawHttp2Connection.Ending zeroWindowStall(Attack attack) throws Exception {
    RawHttp2Connection c = attack.connect(Map.of(SETTINGS_INITIAL_WINDOW_SIZE, 0)).startReading();
    long before = upstream.streamedBytes();
    c.frame(HEADERS, END_STREAM | END_HEADERS, 1, c.get(1, "/bytes?n=1000000000"));
    c.flush();
    Thread.sleep(2_000);
    assertMemoryBounded("zero-window stall, while stalled");
    long streamed = upstream.streamedBytes() - before;
    // Socket buffers on both hops and Vert.x's write queues: a few MiB. The whole response would be 1 GB.
    assertThat(streamed).as("bytes the upstream could write while the client took none").isLessThan(32L << 20);
    RawHttp2Connection.Ending ending = c.awaitEnd(Duration.ofSeconds(10));
    assertThat(ending.framesOf(DATA)).as("DATA frames sent into a zero window").isZero();
    assertThat(ending.resetsWith(8)).as("the stalled stream cancelled").isEqualTo(1);
    assertThat(upstream.streamedBytes() - before).as("upstream stayed paused until the close").isLessThan(32L << 20);
    Thread.sleep(1_000);
    assertThat(upstream.streamedBytes() - before).as("upstream stopped once the client was gone").isLessThan(32L << 20);
    return ending;
  }

  private static RawHttp2Connection.Ending overConcurrentStreams(Attack attack) throws Exception {
    RawHttp2Connection c = attack.connect().startReading();
    for (int i = 0; i < 200; i++) {
      int stream = 2 * i + 1;
      c.frame(HEADERS, END_STREAM | END_HEADERS, stream, c.get(stream, "/slow?ms=1500"));
    }
    c.flush();
    GatewayHarness.awaitTrue(() -> c.snapshot().resetsWith(7) >= 72, Duration.ofSeconds(5), "72 REFUSED_STREAM resets");
    RawHttp2Connection.Ending ending = c.snapshot();
    assertThat(ending.resetsWith(7)).as("streams over 128 refused with REFUSED_STREAM").isEqualTo(72);
    GatewayHarness.awaitTrue(() -> c.snapshot().framesOf(HEADERS) >= 128, Duration.ofSeconds(10), "128 responses");
    return ending;
  }

  /**
   * A POST to an upstream that stops reading, with DATA written regardless of the window: once the upstream
   * pushes back, the gateway stops granting window, and what the client sends beyond it is a flow-control error.
   */
  private static RawHttp2Connection.Ending dataBeyondWindow(Attack attack) throws Exception {
    RawHttp2Connection c = attack.connect().startReading();
    c.frame(HEADERS, END_HEADERS, 1, c.encode(1, List.of(Map.entry(":method", "POST"), Map.entry(":scheme", "https"),
        Map.entry(":authority", "localhost"), Map.entry(":path", "/stall"))));
    byte[] chunk = new byte[16_384];
    return c.floodUntilAnswered(128, Duration.ofMillis(5), i -> {
      for (int j = 0; j < 32; j++) c.frame(DATA, 0, 1, chunk); // 512 KiB a batch, 64 MiB at most
    });
  }

  private static RawHttp2Connection.Ending windowOverflow(Attack attack, int stream) throws Exception {
    RawHttp2Connection c = attack.connect().startReading();
    if (stream != 0) {
      c.frame(HEADERS, END_STREAM | END_HEADERS, stream, c.get(stream, "/slow?ms=500"));
    }
    c.frame(WINDOW_UPDATE, 0, stream, intPayload(0x7fffffff));
    c.flush();
    if (stream == 0) return c.awaitEnd(Duration.ofSeconds(5));
    GatewayHarness.awaitTrue(() -> c.snapshot().resetsWith(3) == 1, Duration.ofSeconds(5), "RST_STREAM FLOW_CONTROL_ERROR");
    return c.snapshot();
  }

  private static RawHttp2Connection.Ending oversizedHeaders(Attack attack) throws Exception {
    RawHttp2Connection c = attack.connect().startReading().awaitSettingsAcknowledged();
    byte[] block = c.encode(1, List.of(Map.entry(":method", "GET"), Map.entry(":scheme", "https"),
        Map.entry(":authority", "localhost"), Map.entry(":path", "/oversized"), Map.entry("x-big", "c".repeat(36 * 1024))));
    for (int from = 0; from < block.length; from += 16_384) {
      int to = Math.min(block.length, from + 16_384);
      int flags = (from == 0 ? END_STREAM : 0) | (to == block.length ? END_HEADERS : 0);
      c.frame(from == 0 ? HEADERS : CONTINUATION, flags, 1, Arrays.copyOfRange(block, from, to));
    }
    c.flush();
    RawHttp2Connection.Frame frame;
    while ((frame = c.poll(Duration.ofSeconds(5))) != null && frame.stream() != 1) {
      // SETTINGS and their ACKs come first.
    }
    assertThat(frame).as("an answer on stream 1").isNotNull();
    GatewayHarness.awaitTrue(() -> c.snapshot().resetsWith(1) == 1, Duration.ofSeconds(5), "RST_STREAM PROTOCOL_ERROR");
    return c.snapshot();
  }

  /** {@code :method GET}, {@code :scheme https}, {@code :authority localhost} and {@code :path}, none indexed. */
  private static byte[] requestPrefix(String path) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x82); // :method GET (static 2)
    out.write(0x87); // :scheme https (static 7)
    out.write(0x01); // :authority (static 1), literal without indexing
    out.write(9);
    out.writeBytes("localhost".getBytes(StandardCharsets.US_ASCII));
    out.write(0x04); // :path (static 4), literal without indexing
    out.write(path.length());
    out.writeBytes(path.getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  // ---- the checks every row makes -----------------------------------------------------------------------------

  /** A fresh HTTP/2 client and a fresh HTTP/1.1 client each get a 200 from the upstream, quickly. */
  private static void assertOthersServed(String when) throws Exception {
    for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
      HttpClient client = HttpClient.newBuilder().sslContext(trust).version(version)
          .connectTimeout(Duration.ofSeconds(5)).build();
      long start = System.nanoTime();
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(gateway.url("/bystander")))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(response.statusCode()).as("%s client %s", version, when).isEqualTo(200);
      assertThat(response.version()).as("protocol %s", when).isEqualTo(version);
      assertThat(took).as("%s request %s", version, when).isLessThan(Duration.ofSeconds(3));
    }
  }

  /**
   * The child is alive, logged no OutOfMemoryError, keeps under {@link #LIVE_HEAP_LIMIT_MIB} of live heap after a
   * full collection (jcmd GC.run) and has never been over {@link #PEAK_RSS_LIMIT_MIB} resident (VmHWM).
   */
  private static void assertMemoryBounded(String when) throws Exception {
    assertThat(gateway.process().isAlive()).as("gateway alive %s", when).isTrue();
    long liveHeap = gateway.liveHeapBytes() / 1024;
    long peakRss = gateway.statusKib("VmHWM");
    System.out.printf("memory [%s]: live heap %d KiB, peak RSS %d KiB%n", when, liveHeap, peakRss);
    assertThat(liveHeap).as("live heap KiB %s", when).isLessThan(LIVE_HEAP_LIMIT_MIB * 1024);
    assertThat(peakRss).as("peak RSS KiB %s", when).isLessThan(PEAK_RSS_LIMIT_MIB * 1024);
    assertThat(gateway.stderr()).as("gateway log").doesNotContain("OutOfMemoryError").doesNotContain("OutOfDirectMemory");
  }
}
