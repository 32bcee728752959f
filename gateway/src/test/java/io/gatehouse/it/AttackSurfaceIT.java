package io.gatehouse.it;

import static io.gatehouse.it.RawHttp2Connection.CONTINUATION;
import static io.gatehouse.it.RawHttp2Connection.END_HEADERS;
import static io.gatehouse.it.RawHttp2Connection.END_STREAM;
import static io.gatehouse.it.RawHttp2Connection.HEADERS;
import static io.gatehouse.it.RawHttp2Connection.RST_STREAM;
import static io.gatehouse.it.RawHttp2Connection.intPayload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway's attack surface as one table, for an auditor: every row is an attack sent over a real TLS socket
 * (raw HTTP/1.1 bytes, or HTTP/2 frames no client library would build) to one in-process gateway in front of a
 * recording upstream, and the outcome it must have. A refusal is the CONTRACT status and code with an
 * {@code X-Request-Id} and an access-log record naming the reason, or a connection or stream cut; either way the
 * upstream saw nothing (checked after a marker request, so a late forward would show). A served row names exactly
 * what the upstream must have seen: the normalized path, one request only, the gateway's own forwarding headers.
 *
 * <p>The focused suites ({@link RequestSmugglingIT}, {@link PathNormalizationIT}, {@link ChunkedFramingIT},
 * {@link Http2AbuseIT}, {@link WebSocketIT}, {@link RequestLimitsIT}, {@link PhaseTimeoutsIT}) test each area in
 * depth; this one is the index.
 *
 * <p>Limits: max_body 16 MiB; idle 1.5 s, request_header 1 s, request_body 2 s.
 */
class AttackSurfaceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTES = """
      webhooks:
        - path: "/webhook/signed"
          scheme: "github"
          secrets: ["attack-surface-secret-0123456789ab"]
      routes:
        - name: "test-webhooks"
          match: ["/webhook-test/", "/form-test/"]
          deny: "all"
        - name: "mcp-test"
          match: ["/mcp-test/"]
          deny: "all"
        - name: "internal"
          match: ["/internal"]
          deny: "all"
        - name: "signed-webhooks"
          match: ["/webhook/signed"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          signature: "required"
        - name: "webhooks"
          match: ["/webhook/", "/webhook-waiting/", "/form/", "/form-waiting/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
        - name: "editor"
          match: ["/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
      """;
  private static final String TIMEOUTS = "{ idle: \"1500ms\", request_header: \"1s\", upstream_connect: \"2s\","
      + " upstream_response: \"4s\", drain: \"2s\", request_body: \"2s\", websocket_idle: \"5s\" }";
  private static final long MAX_BODY = 16L << 20;
  /** Pipelined after bad heads: if the gateway read on, or spliced the bytes through, n8n would see this. */
  private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";
  /** Looks like a GitHub delivery, so the gateway reads the body to verify it before anything is forwarded. */
  private static final String GITHUB_HEADERS = "X-Hub-Signature-256: sha256=" + "ab".repeat(32) + "\r\n"
      + "X-GitHub-Delivery: 72d3162e\r\n";
  private static final String WS_HANDSHAKE = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: https://localhost:8443\r\n";

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;
  private static HttpClient markerClient;
  /** {@link TestUpstream#uploadsCut()} before the row ran: the counter spans the class. */
  private static long uploadsCutBefore;

  enum Category {
    PATHS, SMUGGLING, HTTP2_DOWNGRADE, HEADER_TRUST, WEBSOCKET, DOS
  }

  /** One attack and the outcome it must have. */
  record Row(String name, Category category, Probe probe, Expected expected) {
    @Override public String toString() {
      return category + ": " + name + " → " + expected;
    }
  }

  /** Sends the attack and reports what came back. */
  @FunctionalInterface
  interface Probe {
    Observed send() throws Exception;
  }

  /**
   * What came back on the attacking connection, whatever the protocol.
   *
   * @param outcome {@code "response"}, {@code "closed"}, {@code "silent"} (open, nothing sent), {@code "RST_STREAM n"}
   *     or {@code "GOAWAY n"}
   * @param headers the first response's headers, lower-case names
   * @param responses how many responses arrived (HTTP/1.1: status lines on the connection)
   * @param closed whether the gateway closed the connection
   * @param took from the first byte sent to the end of reading
   */
  record Observed(String outcome, int status, Map<String, String> headers, String body, int responses,
      boolean closed, Duration took, String text) {
    static Observed of(RawReply reply, Duration took) {
      Map<String, String> headers = new TreeMap<>();
      int end = reply.text().indexOf("\r\n\r\n");
      if (end > 0) {
        for (String line : reply.text().substring(0, end).split("\r\n")) {
          int colon = line.indexOf(':');
          if (colon > 0) headers.putIfAbsent(line.substring(0, colon).toLowerCase(), line.substring(colon + 1).strip());
        }
      }
      String outcome = reply.status() > 0 ? "response" : reply.closed() ? "closed" : "silent";
      return new Observed(outcome, reply.status(), headers, reply.body(), reply.responses(), reply.closed(), took,
          reply.text());
    }

    static Observed of(RawHttp2Client.Reply reply, Duration took) {
      boolean response = reply.outcome().equals("response");
      return new Observed(reply.outcome(), reply.status(), reply.headers(), reply.body(), response ? 1 : 0,
          reply.outcome().equals("closed") || reply.outcome().startsWith("GOAWAY"), took, reply.summary());
    }
  }

  /** How a row must end; {@link #check} asserts it, the upstream's view included. */
  sealed interface Expected {
    void check(Observed observed) throws Exception;
  }

  /** What the upstream may have seen of a refused request. */
  enum UpstreamSaw {
    /** nothing at all */
    NOTHING,
    /** the start of a streamed {@code /upload}, whose body the gateway then cut: never a whole body */
    CUT_UPLOAD
  }

  /**
   * The gateway answered with {@code status} and {@code code} (JSON body, {@code X-Request-Id}, access-log record),
   * sent no second response, closed the connection when {@code closes}, and the upstream saw {@code upstream}.
   */
  record Refused(int status, String code, boolean closes, UpstreamSaw upstream, Duration within) implements Expected {
    @Override public void check(Observed observed) throws Exception {
      assertThat(observed.status()).as("status: %s", observed.text()).isEqualTo(status);
      String requestId = observed.headers().get("x-request-id");
      assertThat(requestId).as("X-Request-Id").isNotBlank();
      JsonNode body = JSON.readTree(observed.body());
      assertThat(body.get("error").asText()).isEqualTo(code);
      assertThat(body.get("request_id").asText()).isEqualTo(requestId);
      assertThat(observed.responses()).as("only the refusal was answered: %s", observed.text()).isEqualTo(1);
      if (closes) assertThat(observed.closed()).as("connection closed after the refusal").isTrue();
      if (within != null) assertThat(observed.took()).as("answered in time").isLessThanOrEqualTo(within);
      JsonNode record = gateway.accessRecord(requestId);
      assertThat(record.get("reason").asText()).as("access-log reason").isEqualTo(code);
      assertThat(record.get("status").asInt()).isEqualTo(status);
      assertUpstreamSaw(upstream);
    }

    @Override public String toString() {
      return status + " " + code + (closes ? ", closed" : "");
    }
  }

  /**
   * No response: the gateway ended the connection or the stream ({@code outcome}), within {@code within}, and the
   * upstream saw at most {@code upstreamLimit} requests (all for {@code upstreamPath}; normally none).
   */
  record Cut(String outcome, Duration within, int upstreamLimit, String upstreamPath) implements Expected {
    @Override public void check(Observed observed) throws Exception {
      assertThat(observed.outcome()).as("what the gateway did: %s", observed.text()).isEqualTo(outcome);
      assertThat(observed.responses()).as("no response: %s", observed.text()).isZero();
      assertThat(observed.took()).as("cut in time").isLessThanOrEqualTo(within);
      if (upstreamLimit == 0) {
        assertUpstreamSaw(UpstreamSaw.NOTHING);
      } else {
        String marker = sendMarker();
        List<String> uris = upstream.seen().stream().map(TestUpstream.Seen::uri).filter(u -> !u.equals(marker)).toList();
        assertThat(uris).as("what the attack caused upstream").hasSizeLessThanOrEqualTo(upstreamLimit)
            .allMatch(upstreamPath::equals);
      }
    }

    @Override public String toString() {
      return outcome;
    }
  }

  /**
   * Answered 200 from the upstream, which saw exactly {@code uris} (one request per entry, no smuggled extra), each
   * carrying the gateway's own {@code X-Forwarded-*} and {@code X-Request-Id}; {@code view} checks the first one.
   */
  record Served(List<String> uris, Consumer<TestUpstream.Seen> view) implements Expected {
    @Override public void check(Observed observed) throws Exception {
      assertThat(observed.status()).as("status: %s", observed.text()).isEqualTo(200);
      List<TestUpstream.Seen> seen = upstream.seen();
      assertThat(seen).extracting(TestUpstream.Seen::uri).as("what the upstream saw").containsExactlyElementsOf(uris);
      for (TestUpstream.Seen one : seen) {
        assertThat(one.headers().get("x-forwarded-for")).as("X-Forwarded-For").containsExactly("127.0.0.1");
        assertThat(one.headers().get("x-forwarded-host")).as("X-Forwarded-Host").containsExactly("localhost:8443");
        assertThat(one.headers().get("x-forwarded-proto")).as("X-Forwarded-Proto").containsExactly("https");
        assertThat(one.headers().get("x-request-id")).as("X-Request-Id").hasSize(1);
      }
      assertThat(seen.get(0).header("x-request-id")).as("the request id the client was given")
          .isEqualTo(observed.headers().get("x-request-id"));
      view.accept(seen.get(0));
    }

    @Override public String toString() {
      return "served as " + uris;
    }
  }

  /** An outcome no other shape describes; {@code description} says it in the row's name. */
  record Custom(String description, Check check) implements Expected {
    @Override public void check(Observed observed) throws Exception {
      check.check(observed);
    }

    @Override public String toString() {
      return description;
    }
  }

  @FunctionalInterface
  interface Check {
    void check(Observed observed) throws Exception;
  }

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), ROUTES, "  max_body: \"16MiB\"\n",
        GatewayHarness.Options.DEFAULTS.withTimeouts(TIMEOUTS));
    markerClient = gateway.http1();
  }

  @AfterAll static void stop() {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
    uploadsCutBefore = upstream.uploadsCut();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void attackHasItsSafeOutcome(Row row) throws Exception {
    Observed observed = row.probe().send();
    try {
      row.expected().check(observed);
    } catch (AssertionError | IOException e) {
      // What an auditor needs to judge a failing row: what came back and what reached n8n.
      throw new AssertionError(e.getMessage() + "\nobserved: " + observed.outcome() + "\n" + observed.text()
          + "\nupstream saw: " + upstream.seen(), e);
    }
  }

  static Stream<Row> rows() {
    return Stream.of(paths(), smuggling(), http2Downgrade(), headerTrust(), webSocket(), dos()).flatMap(s -> s);
  }

  // ---- 1. paths -------------------------------------------------------------------------------------------------

  static Stream<Row> paths() {
    Category c = Category.PATHS;
    return Stream.of(
        new Row("/webhook-test/..%2f: encoded traversal", c, get("/webhook-test/..%2f"), badRequest()),
        new Row("/%2e%2e/rest/x: encoded dot-dot above the root", c, get("/%2e%2e/rest/x"), badRequest()),
        new Row("/webhook/a%2Fb: encoded slash", c, get("/webhook/a%2Fb"), badRequest()),
        new Row("/webhook/a%5Cb: encoded backslash", c, get("/webhook/a%5Cb"), badRequest()),
        new Row("/webhook/a%00: encoded NUL", c, get("/webhook/a%00"), badRequest()),
        new Row("/webhook/%C0%AE%C0%AE/webhook-test/x: overlong UTF-8 dots", c,
            get("/webhook/%C0%AE%C0%AE/webhook-test/x"), badRequest()),
        new Row("/webhook/x;jsessionid=x: path parameter", c, get("/webhook/x;jsessionid=x"), badRequest()),
        new Row("/webhook/x.: segment ending in a dot", c, get("/webhook/x."), badRequest()),
        new Row("/webhook/x%20: segment ending in a space", c, get("/webhook/x%20"), badRequest()),
        new Row("//webhook-test//x: doubled slashes around a denied prefix", c, get("//webhook-test//x"),
            refused(403, "route_denied", false)),
        new Row("/WEBHOOK-TEST/x: denied prefix in upper case", c, get("/WEBHOOK-TEST/x"),
            refused(403, "route_denied", false)),
        new Row("/webhook/%2e%2e/webhook-test/x: traversal into a denied prefix", c,
            get("/webhook/%2e%2e/webhook-test/x"), refused(403, "route_denied", false)),
        new Row("/mcp-test/x: a deny-all route", c, get("/mcp-test/x"), refused(403, "route_denied", false)),
        new Row("/Mcp-Test/x: a deny-all route in mixed case", c, get("/Mcp-Test/x"),
            refused(403, "route_denied", false)),
        new Row("absolute-form target naming another host", c,
            http1("GET https://evil.example/rest/a HTTP/1.1\r\nHost: localhost\r\n\r\n" + SMUGGLED), badRequest()),
        new Row("request line over 8 KiB", c,
            http1("GET /rest/" + "a".repeat(9 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n\r\n" + SMUGGLED),
            refused(431, "headers_too_large", true)),
        new Row("/a/%2e%2e/rest/x//y: served as the path it normalizes to", c, get("/a/%2e%2e/rest/x//y"),
            served("/rest/x/y")),
        new Row("/%61pi/v1/x: unreserved escapes decoded before routing and forwarding", c, get("/%61pi/v1/x"),
            served("/api/v1/x")));
  }

  // ---- 2. smuggling (HTTP/1.1) ----------------------------------------------------------------------------------

  static Stream<Row> smuggling() {
    Category c = Category.SMUGGLING;
    String post = "POST /rest/a HTTP/1.1\r\nHost: localhost\r\n";
    String signed = "POST /webhook/signed HTTP/1.1\r\nHost: localhost\r\n" + GITHUB_HEADERS
        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
    return Stream.of(
        new Row("Content-Length with Transfer-Encoding: chunked", c,
            http1(post + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED), badRequest()),
        new Row("two different Content-Lengths", c,
            http1(post + "Content-Length: 4\r\nContent-Length: 49\r\n\r\nabcd" + SMUGGLED), badRequest()),
        new Row("Transfer-Encoding: chunked, identity", c,
            http1(post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + SMUGGLED), badRequest()),
        new Row("Transfer-Encoding: xchunked", c, http1(post + "Transfer-Encoding: xchunked\r\n\r\n" + SMUGGLED),
            badRequest()),
        new Row("Transfer-Encoding : chunked (space before the colon)", c,
            http1(post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n" + SMUGGLED), badRequest()),
        new Row("Transfer-Encoding folded onto ' chunked'", c,
            http1(post + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n" + SMUGGLED), badRequest()),
        new Row("obs-fold header", c, http1("GET /rest/a HTTP/1.1\r\nHost: localhost\r\nX-A: b\r\n c\r\n\r\n" + SMUGGLED),
            badRequest()),
        new Row("chunk size 100000001 (1 at 32 bits) then GET /smuggled", c,
            http1(signed + "100000001\r\nX\r\n0\r\n\r\n" + SMUGGLED), refused(413, "body_too_large", true)),
        new Row("chunk size 100000000 (0 at 32 bits) then GET /smuggled", c,
            http1(signed + "100000000\r\n\r\n" + SMUGGLED), refused(413, "body_too_large", true)),
        new Row("bare LF line endings", c, http1("GET /rest/a HTTP/1.1\nHost: localhost\n\n" + SMUGGLED), badRequest()),
        new Row("Content-Length: +5", c, http1(post + "Content-Length: +5\r\n\r\nhello" + SMUGGLED), badRequest()),
        new Row("declared body over max_body", c,
            http1(post + "Content-Length: " + (MAX_BODY + 1) + "\r\n\r\n" + SMUGGLED),
            refused(413, "body_too_large", true)),
        new Row("two requests pipelined after a 400 (xchunked body holding a GET)", c,
            http1(post + "Transfer-Encoding: xchunked\r\n\r\n" + SMUGGLED
                + "GET /rest/after HTTP/1.1\r\nHost: localhost\r\n\r\n"), badRequest()),
        new Row("sound chunked framing and a pipelined GET: both served, nothing else", c,
            http1("POST /rest/a HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"
                + "GET /rest/b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
            new Served(List.of("/rest/a", "/rest/b"), seen -> assertThat(seen.method()).isEqualTo("POST"))));
  }

  // ---- 3. HTTP/2 to an HTTP/1.1 upstream ------------------------------------------------------------------------

  static Stream<Row> http2Downgrade() {
    Category c = Category.HTTP2_DOWNGRADE;
    return Stream.of(
        new Row("transfer-encoding: chunked (RFC 9113 §8.2.2)", c, h2("/rest/a", "transfer-encoding", "chunked"),
            streamReset()),
        new Row("connection: keep-alive", c, h2("/rest/a", "connection", "keep-alive"), streamReset()),
        new Row("upgrade: h2c", c, h2("/rest/a", "upgrade", "h2c"), streamReset()),
        new Row("te: gzip", c, h2("/rest/a", "te", "gzip"), streamReset()),
        new Row("te: trailers is allowed (and not forwarded: hop-by-hop)", c, h2("/rest/a", "te", "trailers"),
            served("/rest/a", seen -> assertThat(seen.header("te")).isNull())),
        new Row("header value with CR LF (x: a\\r\\nInjected: 1)", c, h2("/rest/a", "x", "a\r\nInjected: 1"),
            h2BadRequest()),
        new Row("header name with upper case", c, h2("/rest/a", "X-Upper", "1"), streamReset()),
        // Refused before the upstream sees it, with RST_STREAM PROTOCOL_ERROR as RFC 9113 §8.1.1 asks. (Before flushes
        // were consolidated, Vert.x's own NO_ERROR reset went out first.)
        new Row("content-length 5, 10 bytes of DATA", c, h2Body("/upload", "5", 10),
            new Cut("RST_STREAM 1", Duration.ofSeconds(5), 0, null)),
        new Row("content-length 10, 5 bytes of DATA", c, h2Body("/upload", "10", 5),
            new Cut("RST_STREAM 1", Duration.ofSeconds(5), 0, null)),
        new Row(":path with a space", c, h2Headers(":method", "GET", ":scheme", "https", ":authority", "localhost",
            ":path", "/rest/a b"), h2BadRequest()),
        new Row(":path not starting with /", c, h2Headers(":method", "GET", ":scheme", "https", ":authority",
            "localhost", ":path", "rest/a"), h2BadRequest()),
        new Row("two :path pseudo-headers", c, h2Headers(":method", "GET", ":scheme", "https", ":authority",
            "localhost", ":path", "/rest/a", ":path", "/internal"), streamReset()),
        new Row("pseudo-header after a regular header", c, h2InOrder(":method", "GET", ":scheme", "https",
            ":authority", "localhost", "x-a", "1", ":path", "/rest/a"), streamReset()),
        new Row("no :authority, a host header: served with the gateway's forwarding headers", c,
            h2Headers(":method", "GET", ":scheme", "https", ":path", "/rest/a", "host", "localhost"),
            served("/rest/a")),
        new Row("cookie crumbs joined into one Cookie for HTTP/1.1", c,
            h2Headers(":method", "GET", ":scheme", "https", ":authority", "localhost", ":path", "/rest/a",
                "cookie", "a=1", "x-between", "1", "cookie", "b=2"),
            served("/rest/a", seen -> assertThat(seen.headers().get("cookie")).containsExactly("a=1; b=2"))));
  }

  // ---- 4. header trust ------------------------------------------------------------------------------------------

  static Stream<Row> headerTrust() {
    Category c = Category.HEADER_TRUST;
    return Stream.of(
        new Row("X-Forwarded-For from an untrusted client", c, getWith("X-Forwarded-For: 6.6.6.6"), served("/rest/a")),
        new Row("X-Forwarded-Host from an untrusted client", c, getWith("X-Forwarded-Host: evil.example"),
            served("/rest/a")),
        new Row("X-Forwarded-Proto from an untrusted client", c, getWith("X-Forwarded-Proto: http"), served("/rest/a")),
        new Row("Forwarded from an untrusted client", c, getWith("Forwarded: for=6.6.6.6;host=evil.example;proto=http"),
            served("/rest/a", seen -> assertThat(seen.header("forwarded")).isNull())),
        new Row("X-Real-IP from an untrusted client", c, getWith("X-Real-IP: 6.6.6.6"),
            served("/rest/a", seen -> assertThat(seen.header("x-real-ip")).isNull())),
        new Row("X-Request-Id from the client", c, getWith("X-Request-Id: client-chosen-id"),
            served("/rest/a", seen -> assertThat(seen.header("x-request-id")).isNotEqualTo("client-chosen-id"))),
        new Row("X-Forwarded-For over HTTP/2", c, h2("/rest/a", "x-forwarded-for", "6.6.6.6"), served("/rest/a")),
        new Row("a hop-by-hop header named in Connection: x-secret", c,
            getWith("Connection: x-secret\r\nX-Secret: 1"),
            served("/rest/a", seen -> assertThat(seen.header("x-secret")).isNull())),
        new Row("two Host headers", c,
            http1("GET /rest/a HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n" + SMUGGLED), badRequest()),
        new Row("Host differing from an absolute-form authority", c,
            http1("GET https://localhost/rest/a HTTP/1.1\r\nHost: evil.example\r\n\r\n" + SMUGGLED), badRequest()));
  }

  // ---- 5. WebSocket smuggling -----------------------------------------------------------------------------------

  static Stream<Row> webSocket() {
    Category c = Category.WEBSOCKET;
    return Stream.of(
        new Row("upgrade the upstream refuses (403), then GET /internal (deny-all) on the same connection", c,
            http1("GET /ws-refuse HTTP/1.1\r\nHost: localhost\r\n" + WS_HANDSHAKE + "\r\n"
                + "GET /internal HTTP/1.1\r\nHost: localhost\r\n\r\n"),
            new Custom("upstream's 403 relayed; /internal refused by the gateway or dropped, never spliced",
                AttackSurfaceIT::refusedUpgradeThenInternal)),
        new Row("upgrade the upstream refuses (403), then GET /rest/after on the same connection", c,
            http1("GET /ws-refuse HTTP/1.1\r\nHost: localhost\r\n" + WS_HANDSHAKE + "\r\n"
                + "GET /rest/after HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
            new Custom("upstream's 403 relayed; /rest/after forwarded by the gateway (its own X-Request-Id) or dropped",
                AttackSurfaceIT::refusedUpgradeThenRouted)),
        new Row("upgrade without Sec-WebSocket-Key, then GET /internal (deny-all) on the same connection", c,
            http1("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\nGET /internal HTTP/1.1\r\nHost: localhost\r\n\r\n"),
            new Custom("n8n's refusal relayed, no tunnel; /internal refused by the gateway or dropped, never spliced",
                AttackSurfaceIT::badVersionThenInternal)),
        new Row("upgrade with Sec-WebSocket-Version: 99, then GET /internal (deny-all) on the same connection", c,
            http1("GET /ws HTTP/1.1\r\nHost: localhost\r\n" + WS_HANDSHAKE.replace("Version: 13", "Version: 99")
                + "\r\nGET /internal HTTP/1.1\r\nHost: localhost\r\n\r\n"),
            new Custom("no tunnel; /internal refused by the gateway or dropped, never spliced",
                AttackSurfaceIT::badVersionThenInternal)),
        new Row("Upgrade: websocket with a body", c,
            http1("GET /ws HTTP/1.1\r\nHost: localhost\r\n" + WS_HANDSHAKE + "Content-Length: "
                + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED), badRequest()),
        new Row("Upgrade: h2c over HTTP/1.1 (h2c smuggling)", c,
            http1("GET /rest/a HTTP/1.1\r\nHost: localhost\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\n\r\n"),
            new Custom("never an upgrade: refused, or forwarded as a plain GET without Upgrade",
                AttackSurfaceIT::h2cNotUpgraded)),
        new Row("HTTP/2 request carrying upgrade: websocket", c,
            h2("/ws", "upgrade", "websocket"), streamReset()));
  }

  // ---- 6. DoS shapes --------------------------------------------------------------------------------------------

  static Stream<Row> dos() {
    Category c = Category.DOS;
    String manyHeaders = IntStream.range(0, 10_000).mapToObj(i -> "X-H" + i + ": v\r\n").collect(Collectors.joining());
    return Stream.of(
        new Row("slowloris: a head that never ends", c, AttackSurfaceIT::slowloris,
            new Cut("closed", Duration.ofSeconds(3), 0, null)),
        new Row("10,000 headers", c, http1("GET /rest/a HTTP/1.1\r\nHost: localhost\r\n" + manyHeaders + "\r\n"),
            refused(431, "headers_too_large", true)),
        new Row("40 KiB header block", c,
            http1("GET /rest/a HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(40 * 1024) + "\r\n\r\n"),
            refused(431, "headers_too_large", true)),
        new Row("4 KiB chunk extension", c,
            http1("POST /webhook/signed HTTP/1.1\r\nHost: localhost\r\n" + GITHUB_HEADERS
                + "Transfer-Encoding: chunked\r\n\r\n5;ext=\"" + "a".repeat(4096) + "\"\r\nhello\r\n0\r\n\r\n"),
            badRequest()),
        new Row("a streamed body that stalls: 408 after idle", c,
            stalled("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n0123456789", 5),
            new Refused(408, "request_timeout", true, UpstreamSaw.CUT_UPLOAD, Duration.ofMillis(3500))),
        new Row("16 MiB declared, 1 byte sent, on a signed route: 408 after request_body", c,
            stalled("POST /webhook/signed HTTP/1.1\r\nHost: localhost\r\n" + GITHUB_HEADERS
                + "Content-Length: " + MAX_BODY + "\r\n\r\nx", 5),
            new Refused(408, "request_timeout", true, UpstreamSaw.NOTHING, Duration.ofMillis(4000))),
        new Row("HTTP/2 rapid reset: 5,000 HEADERS + RST_STREAM pairs", c, AttackSurfaceIT::rapidReset,
            new Cut("GOAWAY 11", Duration.ofSeconds(10), 210, "/rapid-reset")),
        new Row("HTTP/2 CONTINUATION flood without END_HEADERS", c, AttackSurfaceIT::continuationFlood,
            new Cut("GOAWAY 11", Duration.ofSeconds(10), 0, null)),
        // Netty answers this one itself, before Vert.x has a request: a bare 431 without X-Request-Id (CONTRACT:
        // every response carries one), then RST_STREAM PROTOCOL_ERROR. Nothing reaches n8n.
        new Row("HTTP/2 header list over 32 KiB, in HEADERS + CONTINUATION", c, AttackSurfaceIT::oversizedHeaderList,
            new Cut("431 then RST_STREAM 1", Duration.ofSeconds(5), 0, null)));
  }

  // ---- probes ---------------------------------------------------------------------------------------------------

  private static Probe http1(String bytes) {
    return () -> {
      long start = System.nanoTime();
      RawReply reply = RawReply.exchange(gateway, bytes, Duration.ofSeconds(3));
      return Observed.of(reply, Duration.ofNanos(System.nanoTime() - start));
    };
  }

  private static Probe get(String target) {
    return http1("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  }

  private static Probe getWith(String headerLines) {
    return http1("GET /rest/a HTTP/1.1\r\nHost: localhost\r\n" + headerLines + "\r\nConnection: close\r\n\r\n");
  }

  /** Sends {@code bytes}, then nothing more, and reads for up to {@code wait} seconds. */
  private static Probe stalled(String bytes, int wait) {
    return () -> {
      try (SSLSocket socket = gateway.connect()) {
        long start = System.nanoTime();
        write(socket.getOutputStream(), bytes);
        RawReply reply = RawReply.read(socket, Duration.ofSeconds(wait));
        return Observed.of(reply, Duration.ofNanos(System.nanoTime() - start));
      }
    };
  }

  private static Observed slowloris() throws Exception {
    return stalled("GET /rest/x HTTP/1.1\r\nHost: localhost\r\nX-Slow: a", 5).send();
  }

  /** A GET for {@code path} on HTTP/2 with one extra header field. */
  private static Probe h2(String path, String name, String value) {
    return h2Headers(":method", "GET", ":scheme", "https", ":authority", "localhost", ":path", path, name, value);
  }

  private static Probe h2Headers(String... namesAndValues) {
    return () -> timed(() -> RawHttp2Client.send(gateway, pairs(namesAndValues)));
  }

  private static Probe h2InOrder(String... namesAndValues) {
    return () -> timed(() -> RawHttp2Client.sendInOrder(gateway, pairs(namesAndValues)));
  }

  /** A POST declaring {@code contentLength} whose one DATA frame carries {@code sent} bytes. */
  private static Probe h2Body(String path, String contentLength, int sent) {
    return () -> timed(() -> RawHttp2Client.send(gateway, pairs(":method", "POST", ":scheme", "https",
        ":authority", "localhost", ":path", path, "content-length", contentLength), new byte[sent]));
  }

  @FunctionalInterface
  private interface Http2Send {
    RawHttp2Client.Reply send() throws Exception;
  }

  private static Observed timed(Http2Send send) throws Exception {
    long start = System.nanoTime();
    RawHttp2Client.Reply reply = send.send();
    return Observed.of(reply, Duration.ofNanos(System.nanoTime() - start));
  }

  private static List<Map.Entry<String, String>> pairs(String... namesAndValues) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) out.add(Map.entry(namesAndValues[i], namesAndValues[i + 1]));
    return out;
  }

  private static Observed rapidReset() throws Exception {
    try (RawHttp2Connection c = RawHttp2Connection.openTls(gateway.sslContext(), gateway.host(), gateway.port())) {
      long start = System.nanoTime();
      c.preface(Map.of()).startReading();
      try {
        for (int i = 0; i < 5_000 && !c.answered(); i++) {
          int stream = 2 * i + 1;
          c.frame(HEADERS, END_STREAM | END_HEADERS, stream, c.get(stream, "/rapid-reset"));
          c.frame(RST_STREAM, 0, stream, intPayload(8)); // CANCEL
          if (i % 20 == 0) c.flush();
        }
        c.flush();
      } catch (IOException closedByGateway) {
        c.writeFailed();
      }
      return ending(c.awaitEnd(Duration.ofSeconds(5)), start);
    }
  }

  private static Observed continuationFlood() throws Exception {
    try (RawHttp2Connection c = RawHttp2Connection.openTls(gateway.sslContext(), gateway.host(), gateway.port())) {
      long start = System.nanoTime();
      c.preface(Map.of()).startReading().awaitSettingsAcknowledged();
      c.frame(HEADERS, END_STREAM, 1, c.get(1, "/continuation"));
      RawHttp2Connection.Ending ending = c.floodUntilAnswered(25_000, Duration.ofMillis(30), i -> {
        for (int j = 0; j < 4; j++) c.frame(CONTINUATION, 0, 1, new byte[0]);
      });
      return ending(ending, start);
    }
  }

  /** One 36 KiB header, split over frames of the default 16 KiB maximum frame size. */
  private static Observed oversizedHeaderList() throws Exception {
    try (RawHttp2Connection c = RawHttp2Connection.openTls(gateway.sslContext(), gateway.host(), gateway.port())) {
      long start = System.nanoTime();
      c.preface(Map.of()).startReading().awaitSettingsAcknowledged();
      byte[] block = c.encode(1, pairs(":method", "GET", ":scheme", "https", ":authority", "localhost",
          ":path", "/rest/a", "x-big", "c".repeat(36 * 1024)));
      for (int from = 0; from < block.length; from += 16_384) {
        int to = Math.min(block.length, from + 16_384);
        int flags = (from == 0 ? END_STREAM : 0) | (to == block.length ? END_HEADERS : 0);
        c.frame(from == 0 ? HEADERS : CONTINUATION, flags, 1, java.util.Arrays.copyOfRange(block, from, to));
      }
      c.flush();
      GatewayHarness.awaitTrue(() -> c.answered() || !c.snapshot().resets().isEmpty()
          || c.snapshot().framesOf(HEADERS) > 0, Duration.ofSeconds(5), "an answer on stream 1");
      RawHttp2Connection.Ending ending = c.snapshot();
      Map<String, String> headers = new TreeMap<>();
      for (RawHttp2Connection.Frame f; (f = c.poll(Duration.ofMillis(200))) != null; ) {
        if (f.type() == HEADERS && f.stream() == 1) {
          io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(f.payload());
          new io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder(false).decodeHeaders(1, buf)
              .forEach(h -> headers.put(h.getKey().toString(), h.getValue().toString()));
          buf.release();
        }
      }
      String outcome = (headers.containsKey(":status") ? headers.get(":status") + " then " : "")
          + (ending.resets().isEmpty() ? ending.outcome() : "RST_STREAM " + ending.resets().keySet().iterator().next());
      // Netty's own answer is counted as no response of the gateway's: it has no X-Request-Id and no JSON.
      int responses = headers.containsKey("x-request-id") ? 1 : 0;
      return new Observed(outcome, -1, headers, "", responses, ending.outcome().startsWith("GOAWAY"),
          Duration.ofNanos(System.nanoTime() - start), ending + " " + headers);
    }
  }

  private static Observed ending(RawHttp2Connection.Ending ending, long start) {
    return new Observed(ending.outcome(), -1, Map.of(), "", 0, !ending.outcome().equals("open"),
        Duration.ofNanos(System.nanoTime() - start), ending.toString());
  }

  // ---- expectations ---------------------------------------------------------------------------------------------

  private static Expected badRequest() {
    return refused(400, "bad_request", true);
  }

  /** An HTTP/2 refusal ends its stream only: the connection and its other streams go on. */
  private static Expected h2BadRequest() {
    return refused(400, "bad_request", false);
  }

  private static Expected refused(int status, String code, boolean closes) {
    return new Refused(status, code, closes, UpstreamSaw.NOTHING, null);
  }

  /** RST_STREAM PROTOCOL_ERROR: a malformed HTTP/2 request (RFC 9113 §8.1.1), refused before it is a request. */
  private static Expected streamReset() {
    return new Cut("RST_STREAM 1", Duration.ofSeconds(5), 0, null);
  }

  private static Expected served(String uri) {
    return new Served(List.of(uri), seen -> { });
  }

  private static Expected served(String uri, Consumer<TestUpstream.Seen> view) {
    return new Served(List.of(uri), view);
  }

  private static void refusedUpgradeThenInternal(Observed observed) throws Exception {
    assertThat(observed.status()).as(observed.text()).isEqualTo(403);
    assertThat(observed.text()).contains("origin refused");
    // Either the gateway read the next request itself (and refused it by route) or dropped the connection.
    if (observed.responses() > 1) {
      assertThat(observed.text()).contains("\"error\":\"route_denied\"");
    } else {
      assertThat(observed.closed()).as("no second answer, so the connection must be closed").isTrue();
    }
    String marker = sendMarker();
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/ws-refuse", marker);
  }

  private static void refusedUpgradeThenRouted(Observed observed) throws Exception {
    assertThat(observed.status()).as(observed.text()).isEqualTo(403);
    String marker = sendMarker();
    List<TestUpstream.Seen> seen = upstream.seen();
    if (observed.responses() > 1) {
      assertThat(seen).extracting(TestUpstream.Seen::uri).containsExactly("/ws-refuse", "/rest/after", marker);
      TestUpstream.Seen after = seen.get(1);
      // Spliced bytes would reach n8n without the gateway's headers.
      assertThat(after.header("x-request-id")).isNotBlank().isNotEqualTo(seen.get(0).header("x-request-id"));
      assertThat(after.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    } else {
      assertThat(observed.closed()).isTrue();
      assertThat(seen).extracting(TestUpstream.Seen::uri).containsExactly("/ws-refuse", marker);
    }
  }

  private static void badVersionThenInternal(Observed observed) throws Exception {
    assertThat(observed.status()).as(observed.text()).isNotEqualTo(101).isGreaterThanOrEqualTo(400);
    if (observed.responses() > 1) {
      assertThat(observed.text()).contains("\"error\":\"route_denied\"");
    } else {
      assertThat(observed.closed()).as("no second answer, so the connection must be closed").isTrue();
    }
    String marker = sendMarker();
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).doesNotContain("/internal").contains(marker);
  }

  private static void h2cNotUpgraded(Observed observed) throws Exception {
    assertThat(observed.text()).doesNotStartWith("HTTP/1.1 101");
    if (observed.status() == 200) {
      assertThat(upstream.seen()).singleElement().satisfies(seen -> {
        assertThat(seen.header("upgrade")).isNull();
        assertThat(seen.header("http2-settings")).isNull();
      });
    } else {
      new Refused(400, "bad_request", true, UpstreamSaw.NOTHING, null).check(observed);
    }
  }

  /** After a marker request on a fresh connection (any late forward would have shown), the upstream saw {@code saw}. */
  private static void assertUpstreamSaw(UpstreamSaw saw) throws Exception {
    long uploadedBefore = upstream.uploadedBytes();
    String marker = sendMarker();
    List<String> uris = upstream.seen().stream().map(TestUpstream.Seen::uri).toList();
    if (saw == UpstreamSaw.NOTHING) {
      assertThat(uris).as("the upstream saw nothing of the attack").containsExactly(marker);
    } else {
      assertThat(uris).as("the upstream saw the upload start, nothing else").containsExactly("/upload", marker);
      GatewayHarness.awaitTrue(() -> upstream.uploadsCut() == uploadsCutBefore + 1, Duration.ofSeconds(5),
          "the upload cut");
      assertThat(upstream.uploadedBytes()).as("never a whole body").isEqualTo(uploadedBefore);
    }
  }

  private static String sendMarker() throws Exception {
    String marker = "/marker-" + UUID.randomUUID();
    HttpResponse<String> response = markerClient.send(HttpRequest.newBuilder(URI.create(gateway.url(marker))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("the marker request").isEqualTo(200);
    return marker;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
