package io.gatehouse.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.it.RawHttp2Client;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sends malformed requests over a real socket to a Vert.x server on 127.0.0.1 whose handler runs
 * {@link RequestHygiene} and {@link PathNormalizer}, and records which layer refused each shape: Netty/Vert.x
 * before our code ({@code invalidRequestHandler}, or an HTTP/2 stream reset), our checks, or nobody. These
 * observations are the evidence behind the Javadoc of {@link RequestHygiene}; if a Netty upgrade changes one, the
 * test says which.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestHygieneSocketTest {
  private static final String NETTY = "netty";
  private static final String HYGIENE = "hygiene";
  private static final String PATH = "path";
  private static final String PASSED = "passed";
  private static final String DROPPED = "dropped";

  /** Connections on which a request was refused for its framing; test-local stand-in for the gateway's own. */
  private final java.util.Set<io.vertx.core.http.HttpConnection> poisoned = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Which layer handled each request of the last exchange and why, in order; empty while only Netty saw it. */
  private final List<Observation> seen = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private HttpServer server;
  private int port;

  private record Observation(String layer, String detail) {}

  private record Outcome(String status, String layer, String detail) {}

  @BeforeAll
  void startServer() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(this::handle)
        .invalidRequestHandler(request -> {
          seen.add(new Observation(NETTY, String.valueOf(request.decoderResult().cause())));
          HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
        });
    server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = server.actualPort();
  }

  @AfterAll
  void stopServer() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void handle(HttpServerRequest request) {
    if (poisoned.contains(request.connection())) {
      // Vert.x dispatches requests pipelined behind a refused one even after "Connection: close" and
      // connection().close(): they were decoded from the same read. Their framing is not trusted either.
      seen.add(new Observation(DROPPED, request.uri()));
      request.connection().close();
      return;
    }
    Optional<String> problem = RequestHygiene.check(request);
    if (problem.isPresent()) {
      seen.add(new Observation(HYGIENE, problem.get()));
      // The framing of a refused request is not trusted, so nothing after it on this connection is either.
      poisoned.add(request.connection());
      request.response().setStatusCode(400).putHeader("Connection", "close").end();
      request.connection().close();
      return;
    }
    if (PathNormalizer.normalizeTarget(request.uri()) instanceof Normalized.Rejected rejected) {
      seen.add(new Observation(PATH, rejected.detail()));
      request.response().setStatusCode(400).end();
      return;
    }
    seen.add(new Observation(PASSED, request.headers().entries().toString()));
    request.response().end("ok");
  }

  // ---------------------------------------------------------------- HTTP/1.1: refused by Netty before our code

  @Test
  void nettyRefusesDifferingContentLengthsWith400BeforeTheHandler() throws Exception {
    assertRefusedByNetty("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "400", "Multiple Content-Length values");
    assertRefusedByNetty("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\nab", "400", "Multiple Content-Length values");
  }

  @Test
  void nettyRefusesIdenticalDuplicateContentLengthsWith400() throws Exception {
    assertRefusedByNetty("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na",
        "400", "Multiple Content-Length values");
    assertRefusedByNetty("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\na", "400", "Multiple Content-Length values");
  }

  @Test
  void nettyRefusesContentLengthThatIsNotPlainDigitsWith400() throws Exception {
    for (String bad : List.of("+1", "-1", "0x1", "1 1")) {
      assertRefusedByNetty("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: " + bad + "\r\n\r\na", "400", "is not a number");
    }
  }

  @Test
  void nettyRefusesInvalidHeaderNameBytesWith400() throws Exception {
    for (String name : List.of("X A", "X-A ", "X(A)", "X\u0001A", "X\u00e9A")) {
      assertRefusedByNetty("GET /a HTTP/1.1\r\nHost: a\r\n" + name + ": b\r\n\r\n", "400", "a header name cannot contain");
    }
  }

  @Test
  void nettyRefusesControlBytesInHeaderValuesWith400() throws Exception {
    for (String value : List.of("b\u0000c", "b\u0001c", "b\u007fc")) {
      assertRefusedByNetty("GET /a HTTP/1.1\r\nHost: a\r\nX-A: " + value + "\r\n\r\n", "400", "prohibited character");
    }
    assertRefusedByNetty("GET /a HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", "400", "only '\\n' is allowed after '\\r'");
    assertRefusedByNetty("GET /a HTTP/1.1\r\nHost: a\r\nX-A: b\nX-B: c\r\n\r\n", "400", "InvalidLineSeparatorException");
  }

  @Test
  void nettyAnswers414ForOverlongRequestLineAnd431ForOverlongHeaders() throws Exception {
    assertRefusedByNetty("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: a\r\n\r\n", "414", "TooLongHttpLineException");
    assertRefusedByNetty("GET /a HTTP/1.1\r\nHost: a\r\nX-A: " + "a".repeat(9000) + "\r\n\r\n", "431", "TooLongHttpHeaderException");
  }

  @Test
  void vertxAnswers501ForUnknownHttpVersionWithoutCallingEitherHandler() throws Exception {
    Outcome outcome = http1("GET /a HTTP/1.2\r\nHost: a\r\n\r\n");
    assertThat(outcome.status()).isEqualTo("501");
    assertThat(outcome.layer()).isEqualTo(NETTY);
    assertThat(outcome.detail()).isEqualTo("no handler called");
  }

  // ---------------------------------------------------------------- HTTP/1.1: reaching our code

  @Test
  void nettyDropsContentLengthNextToTransferEncodingSoOnlyChunkedReachesTheHandler() throws Exception {
    Outcome outcome = http1("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    // Our CL+TE rule (RequestHygieneTest) is defence in depth: Netty has already removed the Content-Length.
    assertThat(outcome.layer()).isEqualTo(PASSED);
    assertThat(outcome.detail()).doesNotContainIgnoringCase("content-length").contains("Transfer-Encoding=chunked");
  }

  @Test
  void refusesTransferEncodingOtherThanExactlyChunkedWith400() throws Exception {
    for (String coding : List.of("gzip, chunked", "Chunked", "identity", "xchunked")) {
      assertRefusedByHygiene("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + coding + "\r\n\r\n");
    }
    assertRefusedByHygiene("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    assertThat(http1("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").layer()).isEqualTo(PASSED);
  }

  @Test
  void unknownTransferCodingMakesNettyReadTheBodyAsTheNextRequestSoRefusalMustCloseTheConnection() throws Exception {
    // Netty frames "Transfer-Encoding: xchunked" as a request without a body, so the body below is parsed as a
    // second, smuggled request and Vert.x hands it to the request handler even after the refusal answered with
    // "Connection: close" and closed the connection. The handler must remember the connection and drop it.
    String smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
    String raw = "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n" + smuggled;
    Outcome outcome = http1(raw);
    Thread.sleep(200); // give a pipelined second request the time to reach the handler, if it were going to
    assertThat(outcome.layer()).isEqualTo(HYGIENE);
    assertThat(seen).extracting(Observation::layer).containsExactly(HYGIENE, DROPPED);
  }

  @Test
  void refusesTransferEncodingOnHttp10With400() throws Exception {
    assertRefusedByHygiene("POST /a HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  }

  @Test
  void refusesSecondHostHeaderWith400() throws Exception {
    assertRefusedByHygiene("GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  }

  @Test
  void refusesMissingHostOnHttp11With400() throws Exception {
    assertRefusedByHygiene("GET /a HTTP/1.1\r\nX: y\r\n\r\n");
    assertThat(http1("GET /a HTTP/1.0\r\n\r\n").layer()).isEqualTo(PASSED);
  }

  @Test
  void refusesMalformedOrEmptyHostWith400() throws Exception {
    assertRefusedByHygiene("GET /a HTTP/1.1\r\nHost: a/b@c\r\n\r\n");
    assertRefusedByHygiene("GET /a HTTP/1.1\r\nHost:\r\n\r\n");
  }

  @Test
  void refusesAbsoluteFormTargetNamingAnotherHostWith400() throws Exception {
    assertRefusedByHygiene("GET http://b/x HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(http1("GET http://A:80/x HTTP/1.1\r\nHost: a\r\n\r\n").layer()).isEqualTo(PASSED);
  }

  @Test
  void refusesConnectAndTraceWith400() throws Exception {
    assertRefusedByHygiene("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n");
    assertRefusedByHygiene("TRACE /a HTTP/1.1\r\nHost: a\r\n\r\n");
  }

  @Test
  void obsFoldIsUnfoldedByNettyIntoOneValue() throws Exception {
    Outcome outcome = http1("GET /a HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n");
    assertThat(outcome.layer()).isEqualTo(PASSED);
    assertThat(outcome.detail()).contains("X-A=b c");
  }

  @Test
  void tabAndObsTextInHeaderValuesAreAccepted() throws Exception {
    assertThat(http1("GET /a HTTP/1.1\r\nHost: a\r\nX-A: b\tc\u00e9\r\n\r\n").layer()).isEqualTo(PASSED);
  }

  @Test
  void nulNonAsciiHashAndBackslashInTargetReachTheHandlerAndPathNormalizerRefusesThem() throws Exception {
    for (String target : List.of("/a\u0000b", "/caf\u00e9", "/a#b", "/a\\b", "/a/%2e%2e/%2e%2e")) {
      Outcome outcome = http1("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(outcome.status()).as(target).isEqualTo("400");
      assertThat(outcome.layer()).as(target).isEqualTo(PATH);
    }
  }

  // ---------------------------------------------------------------- HTTP/2 (h2c prior knowledge)

  @Test
  void acceptsPlainHttp2Request() throws Exception {
    Outcome outcome = http2(base(), "te", "trailers");
    assertThat(outcome.status()).isEqualTo("status 200");
    assertThat(outcome.layer()).isEqualTo(PASSED);
  }

  @Test
  void nettyResetsHttp2StreamsWithConnectionSpecificHeaders() throws Exception {
    assertResetByNetty(base(), "te", "gzip");
    assertResetByNetty(base(), "transfer-encoding", "chunked");
    assertResetByNetty(base(), "connection", "keep-alive");
  }

  @Test
  void nettyResetsHttp2StreamsWithUpperCaseNameOrBadContentLengthOrConflictingHost() throws Exception {
    assertResetByNetty(base(), "X-Upper", "v");
    assertResetByNetty(base("POST"), "content-length", "0", "content-length", "1");
    assertResetByNetty(base("POST"), "content-length", "x");
    assertResetByNetty(base(), "host", "b");
  }

  @Test
  void refusesHttp2ControlBytesInHeaderValuesThatNettyLetsThrough() throws Exception {
    assertRefusedByHygieneOverHttp2(base(), "x-a", "b\u0000c");
    assertRefusedByHygieneOverHttp2(base(), "x-a", "b\u0001c");
    assertRefusedByHygieneOverHttp2(base(), "x-a", "b\r\nx-injected: 1");
  }

  @Test
  void refusesHttp2HeaderNameWithSpaceThatNettyLetsThrough() throws Exception {
    assertRefusedByHygieneOverHttp2(base(), "x a", "b");
  }

  @Test
  void refusesHttp2RequestWithoutAuthority() throws Exception {
    assertRefusedByHygieneOverHttp2(List.of(":method", "GET", ":scheme", "http", ":path", "/a"));
  }

  @Test
  void refusesHttp2AbsoluteUriInPath() throws Exception {
    assertRefusedByHygieneOverHttp2(List.of(":method", "GET", ":scheme", "http", ":authority", "a", ":path", "http://b/x"));
  }

  @Test
  void refusesHttp2ConnectAndTrace() throws Exception {
    assertRefusedByHygieneOverHttp2(List.of(":method", "CONNECT", ":authority", "a:443"));
    assertRefusedByHygieneOverHttp2(List.of(":method", "TRACE", ":scheme", "http", ":authority", "a", ":path", "/a"));
  }

  // ---------------------------------------------------------------- helpers

  private void assertRefusedByNetty(String raw, String status, String causeFragment) throws Exception {
    Outcome outcome = http1(raw);
    assertThat(outcome.layer()).as(printable(raw)).isEqualTo(NETTY);
    assertThat(outcome.status()).as(printable(raw)).isEqualTo(status);
    assertThat(outcome.detail()).as(printable(raw)).contains(causeFragment);
  }

  private void assertRefusedByHygiene(String raw) throws Exception {
    Outcome outcome = http1(raw);
    assertThat(outcome.layer()).as(printable(raw)).isEqualTo(HYGIENE);
    assertThat(outcome.status()).as(printable(raw)).isEqualTo("400");
  }

  private void assertResetByNetty(List<String> pseudo, String... extra) throws Exception {
    Outcome outcome = http2(pseudo, extra);
    assertThat(outcome.status()).isEqualTo("RST_STREAM 1"); // PROTOCOL_ERROR
    assertThat(outcome.layer()).isEqualTo(NETTY);
  }

  private void assertRefusedByHygieneOverHttp2(List<String> pseudo, String... extra) throws Exception {
    Outcome outcome = http2(pseudo, extra);
    assertThat(outcome.layer()).isEqualTo(HYGIENE);
    assertThat(outcome.status()).isEqualTo("status 400");
  }

  private static List<String> base() {
    return base("GET");
  }

  private static List<String> base(String method) {
    return List.of(":method", method, ":scheme", "http", ":authority", "a", ":path", "/a");
  }

  private Outcome http1(String raw) throws Exception {
    seen.clear();
    String statusLine;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(3000);
      socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      statusLine = readLine(socket.getInputStream());
    }
    String[] parts = statusLine.split(" ");
    return outcome(parts.length > 1 ? parts[1] : statusLine);
  }

  private Outcome http2(List<String> pseudo, String... extra) throws Exception {
    seen.clear();
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 0; i < pseudo.size(); i += 2) headers.add(Map.entry(pseudo.get(i), pseudo.get(i + 1)));
    for (int i = 0; i < extra.length; i += 2) headers.add(Map.entry(extra[i], extra[i + 1]));
    return outcome(RawHttp2Client.sendCleartext(port, headers).summary());
  }

  private Outcome outcome(String status) {
    if (seen.isEmpty()) return new Outcome(status, NETTY, "no handler called");
    return new Outcome(status, seen.get(0).layer(), seen.get(0).detail());
  }

  private static String readLine(InputStream in) throws Exception {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      int b;
      while ((b = in.read()) >= 0 && b != '\n') line.write(b);
    } catch (SocketTimeoutException e) {
      return "<timeout>";
    }
    return line.toString(StandardCharsets.ISO_8859_1).strip();
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) b.append(c < 0x20 || c > 0x7E ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    return b.length() > 120 ? b.substring(0, 120) + "..." : b.toString();
  }
}
