package io.gatehouse.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.it.GatewayHarness;
import io.gatehouse.it.RawHttp2Client;
import io.gatehouse.it.TestUpstream;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sends malformed requests over raw TLS (HTTP/1.1, and HTTP/2 frames after ALPN {@code h2}) to a real in-process
 * gateway in front of a {@link TestUpstream}, and records which layer refused each shape, from what the gateway itself
 * reports: its access record and what reached the upstream. These observations are the evidence behind the Javadoc of
 * {@link RequestHygiene}; if a Netty upgrade or a listener change moves one, the test says which.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestHygieneSocketTest {
  /**
   * StrictRequestDecoder (Netty's HttpRequestDecoder) or Http1Connection failed the head; InvalidRequestResponder
   * answered and recorded the cause's simple class name.
   */
  private static final String DECODER = "decoder";
  /**
   * Netty's HTTP/2 codec found a stream error after the exchange began (detail "HTTP/2 stream error: ..."); a stream it
   * resets before that leaves no access record at all.
   */
  private static final String NETTY = "netty";
  /** RequestHygiene refused the head; the record's detail is its problem text. */
  private static final String HYGIENE = "hygiene";
  /** PathNormalizer refused the target; the record's detail is its rejected detail. */
  private static final String PATH = "path";
  /** The upstream received the request. */
  private static final String PASSED = "passed";

  private Vertx vertx;
  private TestUpstream upstream;
  private GatewayHarness gateway;
  private HttpClient markerClient;

  /** What one layer did with one request, as the access log and the upstream show it. */
  private record Observation(String layer, String detail) {}

  /**
   * @param status the HTTP/1.x status code; for HTTP/2 {@code "status 400"}, {@code "RST_STREAM 1"} and the like
   * @param seen one observation per access record the exchange left, in order; empty when none
   */
  private record Outcome(String status, List<Observation> seen) {}

  @BeforeAll
  void startGateway() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url());
    markerClient = gateway.http1();
  }

  @AfterAll
  void stopGateway() {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  // ---------------------------------------------------------------- HTTP/1.1: refused by the decoder before our checks

  @Test
  void nettyRefusesDifferingContentLengthsWith400BeforeOurChecks() throws Exception {
    assertRefusedByDecoder("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "400", "IllegalArgumentException");
    assertRefusedByDecoder("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\nab",
        "400", "IllegalArgumentException");
  }

  @Test
  void nettyRefusesIdenticalDuplicateContentLengthsWith400() throws Exception {
    assertRefusedByDecoder("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na",
        "400", "IllegalArgumentException");
    assertRefusedByDecoder("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\na",
        "400", "IllegalArgumentException");
  }

  @Test
  void nettyRefusesContentLengthThatIsNotPlainDigitsWith400() throws Exception {
    for (String bad : List.of("+1", "-1", "0x1", "1 1")) {
      // Netty's "is not a number" is one more IllegalArgumentException: the record keeps only the class.
      assertRefusedByDecoder("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: " + bad + "\r\n\r\na",
          "400", "IllegalArgumentException");
    }
  }

  @Test
  void nettyRefusesInvalidHeaderNameBytesWith400() throws Exception {
    for (String name : List.of("X A", "X-A ", "X(A)", "X\u0001A", "X\u00e9A")) {
      assertRefusedByDecoder("GET /a HTTP/1.1\r\nHost: a\r\n" + name + ": b\r\n\r\n", "400", "IllegalArgumentException");
    }
  }

  @Test
  void nettyRefusesControlBytesInHeaderValuesWith400() throws Exception {
    for (String value : List.of("b\u0000c", "b\u0001c", "b\u007fc")) {
      assertRefusedByDecoder("GET /a HTTP/1.1\r\nHost: a\r\nX-A: " + value + "\r\n\r\n", "400", "IllegalArgumentException");
    }
    assertRefusedByDecoder("GET /a HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", "400", "IllegalArgumentException");
    assertRefusedByDecoder("GET /a HTTP/1.1\r\nHost: a\r\nX-A: b\nX-B: c\r\n\r\n", "400", "InvalidLineSeparatorException");
  }

  @Test
  void overlongRequestLineAndOverlongHeadersAreBothRefusedWith431() throws Exception {
    assertRefusedByDecoder("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", "431", "TooLongHttpLineException");
    assertRefusedByDecoder("GET /a HTTP/1.1\r\nHost: a\r\nX-A: " + "a".repeat(33 * 1024) + "\r\n\r\n",
        "431", "TooLongHttpHeaderException");
  }

  @Test
  void unknownHttpVersionIsRefusedWith400AsAnInvalidRequest() throws Exception {
    assertRefusedByDecoder("GET /a HTTP/1.2\r\nHost: a\r\n\r\n", "400", "UnsupportedVersionException");
  }

  @Test
  void nettyRefusesHttp09RequestLineWith400() throws Exception {
    assertRefusedByDecoder("GET /a\r\n\r\n", "400", "IllegalArgumentException");
  }

  @Test
  void strictDecoderRefusesContentLengthNextToTransferEncodingThatNettyWouldDrop() throws Exception {
    // Netty would drop the Content-Length and go on with chunked; our CL+TE rule (RequestHygieneTest) is defence in depth.
    assertRefusedByDecoder("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "400", "SmugglingShapeException");
  }

  @Test
  void strictDecoderRefusesObsoleteLineFoldingThatNettyWouldUnfold() throws Exception {
    assertRefusedByDecoder("GET /a HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", "400", "SmugglingShapeException");
  }

  // ---------------------------------------------------------------- HTTP/1.1: reaching our checks

  @Test
  void refusesTransferEncodingOtherThanExactlyChunkedWith400() throws Exception {
    for (String coding : List.of("gzip, chunked", "Chunked", "identity", "xchunked")) {
      assertRefusedByHygiene("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + coding + "\r\n\r\n",
          "Transfer-Encoding other than exactly 'chunked'");
    }
    assertRefusedByHygiene(
        "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "Transfer-Encoding other than exactly 'chunked'");
    assertPassed("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  }

  @Test
  void unknownTransferCodingMakesNettyReadTheBodyAsTheNextRequestWhichIsNeverDispatched() throws Exception {
    // Netty frames "Transfer-Encoding: xchunked" as a request without a body, so the body below is decoded as a second,
    // smuggled request in the same read. Http1Connection drops whatever follows a refusal that closes the connection.
    String smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
    Outcome outcome = http1("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n" + smuggled);
    assertThat(outcome.status()).isEqualTo("400");
    assertThat(outcome.seen()).as("only the refusal was handled: no exchange, no forward for /smuggled")
        .containsExactly(new Observation(HYGIENE, "Transfer-Encoding other than exactly 'chunked'"));
  }

  @Test
  void refusesTransferEncodingOnHttp10With400() throws Exception {
    assertRefusedByHygiene("POST /a HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "Transfer-Encoding on HTTP/1.0");
  }

  @Test
  void refusesSecondHostHeaderWith400() throws Exception {
    assertRefusedByHygiene("GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "more than one Host header");
  }

  @Test
  void refusesMissingHostOnHttp11With400() throws Exception {
    assertRefusedByHygiene("GET /a HTTP/1.1\r\nX: y\r\n\r\n", "no Host header on HTTP/1.1");
    assertPassed("GET /a HTTP/1.0\r\n\r\n");
  }

  @Test
  void refusesMalformedOrEmptyHostWith400() throws Exception {
    assertRefusedByHygiene("GET /a HTTP/1.1\r\nHost: a/b@c\r\n\r\n", "Host header is not a valid host[:port]");
    assertRefusedByHygiene("GET /a HTTP/1.1\r\nHost:\r\n\r\n", "Host header is not a valid host[:port]");
  }

  @Test
  void refusesAbsoluteFormTargetNamingAnotherHostWith400() throws Exception {
    assertRefusedByHygiene("GET http://b/x HTTP/1.1\r\nHost: a\r\n\r\n", "absolute-form target authority differs from Host");
    assertPassed("GET http://A:80/x HTTP/1.1\r\nHost: a\r\n\r\n");
  }

  @Test
  void refusesConnectAndTraceWith400() throws Exception {
    assertRefusedByHygiene("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", "CONNECT is not served: not a forward proxy");
    assertRefusedByHygiene("TRACE /a HTTP/1.1\r\nHost: a\r\n\r\n", "TRACE is not served");
  }

  @Test
  void lowerCaseMethodReachesOurChecksAsItsOwnMethodAndIsRefusedWith400() throws Exception {
    assertRefusedByHygiene("get /a HTTP/1.1\r\nHost: a\r\n\r\n", "method is not one n8n serves");
  }

  @Test
  void tabAndObsTextInHeaderValuesAreAccepted() throws Exception {
    assertPassed("GET /a HTTP/1.1\r\nHost: a\r\nX-A: b\tc\u00e9\r\n\r\n");
  }

  @Test
  void nulNonAsciiHashAndBackslashInTargetReachOurChecksAndPathNormalizerRefusesThem() throws Exception {
    assertRefusedByPathNormalizer("/a\u0000b", "control byte in path");
    assertRefusedByPathNormalizer("/caf\u00e9", "raw non-ASCII byte in path");
    assertRefusedByPathNormalizer("/a#b", "'#' in request target");
    assertRefusedByPathNormalizer("/a\\b", "backslash in path");
    assertRefusedByPathNormalizer("/a/%2e%2e/%2e%2e", "'..' segment climbs above the root");
  }

  // ---------------------------------------------------------------- HTTP/2 (TLS, ALPN h2)

  @Test
  void acceptsPlainHttp2Request() throws Exception {
    Outcome outcome = http2(base(), "te", "trailers");
    assertThat(outcome.status()).isEqualTo("status 200");
    assertThat(outcome.seen()).extracting(Observation::layer).containsExactly(PASSED);
  }

  @Test
  void nettyResetsHttp2StreamsWithConnectionSpecificHeaders() throws Exception {
    assertResetByNetty(base(), "te", "gzip");
    assertResetByNetty(base(), "transfer-encoding", "chunked");
    assertResetByNetty(base(), "connection", "keep-alive");
  }

  @Test
  void nettyResetsHttp2StreamsWithUpperCaseNameOrBadContentLength() throws Exception {
    assertResetByNetty(base(), "X-Upper", "v");
    assertResetByNetty(base("POST"), "content-length", "0", "content-length", "1");
    assertResetByNetty(base("POST"), "content-length", "x");
  }

  @Test
  void refusesHttp2HostDifferingFromAuthorityThatNettyLetsThrough() throws Exception {
    assertRefusedByHygieneOverHttp2("HTTP/2 Host differs from :authority", base(), "host", "b");
  }

  @Test
  void refusesHttp2UserinfoInAuthorityThatNettyLetsThrough() throws Exception {
    assertRefusedByHygieneOverHttp2("HTTP/2 :authority is not a valid host[:port]",
        List.of(":method", "GET", ":scheme", "https", ":authority", "u@a", ":path", "/a"));
  }

  @Test
  void refusesHttp2ControlBytesInHeaderValuesThatNettyLetsThrough() throws Exception {
    assertRefusedByHygieneOverHttp2("control character in value of header x-a", base(), "x-a", "b\u0000c");
    assertRefusedByHygieneOverHttp2("control character in value of header x-a", base(), "x-a", "b\u0001c");
    assertRefusedByHygieneOverHttp2("control character in value of header x-a", base(), "x-a", "b\r\nx-injected: 1");
  }

  @Test
  void refusesHttp2HeaderNameWithSpaceThatNettyLetsThrough() throws Exception {
    assertRefusedByHygieneOverHttp2("invalid character in header name", base(), "x a", "b");
  }

  @Test
  void refusesHttp2RequestWithoutAuthority() throws Exception {
    assertRefusedByHygieneOverHttp2("HTTP/2 request without :authority or Host",
        List.of(":method", "GET", ":scheme", "https", ":path", "/a"));
  }

  @Test
  void refusesHttp2TwoHostHeadersWithoutAuthority() throws Exception {
    assertRefusedByHygieneOverHttp2("more than one Host header",
        List.of(":method", "GET", ":scheme", "https", ":path", "/a"), "host", "a", "host", "b");
  }

  @Test
  void refusesHttp2AbsoluteUriInPath() throws Exception {
    assertRefusedByHygieneOverHttp2("HTTP/2 :path is not origin-form",
        List.of(":method", "GET", ":scheme", "https", ":authority", "a", ":path", "http://b/x"));
  }

  @Test
  void http2NulInPathReachesOurChecksAndPathNormalizerRefusesIt() throws Exception {
    Outcome outcome = http2(List.of(":method", "GET", ":scheme", "https", ":authority", "a", ":path", "/a\u0000b"));
    assertThat(outcome.status()).isEqualTo("status 400");
    assertThat(outcome.seen()).containsExactly(new Observation(PATH, "control byte in path"));
  }

  @Test
  void refusesHttp2ConnectAndTrace() throws Exception {
    assertRefusedByHygieneOverHttp2("CONNECT is not served: not a forward proxy",
        List.of(":method", "CONNECT", ":authority", "a:443"));
    assertRefusedByHygieneOverHttp2("TRACE is not served",
        List.of(":method", "TRACE", ":scheme", "https", ":authority", "a", ":path", "/a"));
  }

  // ---------------------------------------------------------------- helpers

  private void assertRefusedByDecoder(String raw, String status, String exception) throws Exception {
    assertOutcome(http1(raw), printable(raw), status, new Observation(DECODER, exception));
  }

  private void assertRefusedByHygiene(String raw, String problem) throws Exception {
    assertOutcome(http1(raw), printable(raw), "400", new Observation(HYGIENE, problem));
  }

  private void assertRefusedByPathNormalizer(String target, String detail) throws Exception {
    String raw = "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n";
    assertOutcome(http1(raw), printable(raw), "400", new Observation(PATH, detail));
  }

  private void assertPassed(String raw) throws Exception {
    Outcome outcome = http1(raw);
    assertThat(outcome.status()).as(printable(raw)).isEqualTo("200");
    assertThat(outcome.seen()).as(printable(raw)).extracting(Observation::layer).containsExactly(PASSED);
  }

  /** A reset with PROTOCOL_ERROR (1) before Http2Stream opened: no exchange, so no access record. */
  private void assertResetByNetty(List<String> pseudo, String... extra) throws Exception {
    Outcome outcome = http2(pseudo, extra);
    assertThat(outcome.status()).as(List.of(extra).toString()).isEqualTo("RST_STREAM 1");
    assertThat(outcome.seen()).as(List.of(extra).toString()).isEmpty();
  }

  private void assertRefusedByHygieneOverHttp2(String problem, List<String> pseudo, String... extra) throws Exception {
    String what = pseudo + " " + List.of(extra);
    assertOutcome(http2(pseudo, extra), printable(what), "status 400", new Observation(HYGIENE, problem));
  }

  /** Exactly one exchange, refused or passed by the expected layer with exactly the expected detail. */
  private static void assertOutcome(Outcome outcome, String what, String status, Observation expected) {
    assertThat(outcome.seen()).as(what).containsExactly(expected);
    assertThat(outcome.status()).as(what).isEqualTo(status);
  }

  private static List<String> base() {
    return base("GET");
  }

  private static List<String> base(String method) {
    return List.of(":method", method, ":scheme", "https", ":authority", "a", ":path", "/a");
  }

  /** Sends {@code raw} on a fresh TLS connection and reads the status line of the answer. */
  private Outcome http1(String raw) throws Exception {
    int recordsBefore = startExchange();
    try (SSLSocket socket = gateway.connect()) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      String[] statusLine = readLine(socket.getInputStream()).split(" ");
      String status = statusLine.length > 1 ? statusLine[1] : statusLine[0];
      // Observed with the connection still open, so the exchange cannot have ended as "client closed".
      return new Outcome(status, observationsSince(recordsBefore, target(raw)));
    }
  }

  private Outcome http2(List<String> pseudo, String... extra) throws Exception {
    int recordsBefore = startExchange();
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 0; i < pseudo.size(); i += 2) headers.add(Map.entry(pseudo.get(i), pseudo.get(i + 1)));
    for (int i = 0; i < extra.length; i += 2) headers.add(Map.entry(extra[i], extra[i + 1]));
    String status = status(RawHttp2Client.send(gateway, headers));
    int path = pseudo.indexOf(":path");
    return new Outcome(status, observationsSince(recordsBefore, path < 0 ? null : pseudo.get(path + 1)));
  }

  /** {@code "status 400"} for a whole response; a head cut short by a reset says both, so neither hides the other. */
  private static String status(RawHttp2Client.Reply reply) {
    if (reply.outcome().equals("response") || reply.status() < 0) return reply.summary();
    return "status " + reply.status() + ", then " + reply.outcome();
  }

  private int startExchange() throws Exception {
    upstream.clear();
    return gateway.accessLog(0).size();
  }

  /**
   * What the gateway did since {@code recordsBefore}: one observation per access record. A well-formed request on a
   * fresh connection, answered by the upstream, marks the end: the log is in completion order, and anything of the
   * exchange under test (a late record, a smuggled request) was decoded before the client had its answer.
   */
  /**
   * The access log once it has stopped growing for a moment. A refusal that closes its connection is recorded when its
   * answer's write completes, which can be just after the marker's own record (another connection, another event
   * loop): the order of the log is then not the order of the answers.
   */
  private List<JsonNode> settledAccessLog() throws Exception {
    List<JsonNode> records = gateway.accessLog(0);
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(150);
      List<JsonNode> again = gateway.accessLog(0);
      if (again.size() == records.size()) return again;
      records = again;
    }
    return records;
  }

  private List<Observation> observationsSince(int recordsBefore, String target) throws Exception {
    String marker = "/marker-" + UUID.randomUUID();
    HttpResponse<String> response = markerClient.send(
        HttpRequest.newBuilder(URI.create(gateway.url(marker))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("marker").isEqualTo(200);
    String markerId = response.headers().firstValue("X-Request-Id").orElseThrow();
    gateway.accessRecord(markerId);
    List<JsonNode> records = settledAccessLog();
    List<TestUpstream.Seen> reached = upstream.seen().stream().filter(seen -> !seen.uri().equals(marker)).toList();
    List<Observation> observations = new ArrayList<>();
    for (JsonNode record : records.subList(recordsBefore, records.size())) {
      if (!record.get("request_id").asText().equals(markerId)) observations.add(observe(record, reached, target));
    }
    assertThat(reached).as("every request the upstream saw has an access record saying it passed")
        .hasSize((int) observations.stream().filter(o -> o.layer().equals(PASSED)).count());
    return observations;
  }

  private static Observation observe(JsonNode record, List<TestUpstream.Seen> reached, String target) {
    String requestId = record.get("request_id").asText();
    for (TestUpstream.Seen seen : reached) {
      if (requestId.equals(seen.header("X-Request-Id"))) return new Observation(PASSED, seen.headers().toString());
    }
    String detail = record.hasNonNull("detail") ? record.get("detail").asText() : "none, status " + record.get("status");
    if (detail.matches("[A-Z][A-Za-z0-9]*Exception")) return new Observation(DECODER, detail);
    if (detail.startsWith("HTTP/2 stream error")) return new Observation(NETTY, detail);
    String reason = record.get("reason").asText();
    if (!reason.equals("bad_request")) return new Observation("refused as " + reason, detail);
    if (target != null && PathNormalizer.normalizeTarget(target) instanceof Normalized.Rejected rejected
        && rejected.detail().equals(detail)) {
      return new Observation(PATH, detail);
    }
    return new Observation(HYGIENE, detail);
  }

  /** The request target of a raw HTTP/1.x request line. */
  private static String target(String raw) {
    String[] line = raw.substring(0, Math.max(0, raw.indexOf("\r\n"))).split(" ");
    return line.length > 1 ? line[1] : null;
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
