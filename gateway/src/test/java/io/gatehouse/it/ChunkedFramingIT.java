package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.Secret;
import io.gatehouse.guard.signature.TestHmacScheme;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chunked request bodies end to end over raw TLS: a chunk line or chunk that two HTTP parsers could frame
 * differently (Netty wraps sizes at 32 bits, so {@code 100000001} is 1 byte to it and 4 GiB to any 64-bit front
 * proxy) is refused, and neither the rest of the body nor the request smuggled in it reaches n8n.
 */
class ChunkedFramingIT {
  /** Hidden in every bad body: if the gateway framed the body as Netty does, n8n would see this request. */
  private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";
  private static final String SIGNED_PATH = "/webhook/signed";
  private static final Secret SECRET = new Secret("framing-secret-0123456789abcdef", false);
  private static final String ROUTES = """
      webhooks:
        - path: "/webhook/signed"
          scheme: "github"
          secrets: ["framing-secret-0123456789abcdef"]
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

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), ROUTES, "  max_body: \"1KiB\"\n", GatewayHarness.Options.DEFAULTS,
        webhook -> new TestHmacScheme());
  }

  @AfterAll static void stop() {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
  }

  /** name, the body after a valid first chunk, status, code. */
  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("size wrapped to 1 at 32 bits", "100000001\r\nX\r\n0\r\n\r\n" + SMUGGLED, 413, "body_too_large"),
        Arguments.of("size wrapped to 0 at 32 bits", "100000000\r\n\r\n" + SMUGGLED, 413, "body_too_large"),
        Arguments.of("size over 64 bits", "ffffffffffffffff1\r\nX\r\n0\r\n\r\n" + SMUGGLED, 413, "body_too_large"),
        Arguments.of("sixteen hex digits", "1000000000000001\r\nX\r\n0\r\n\r\n" + SMUGGLED, 413, "body_too_large"),
        Arguments.of("size over max_body", "401\r\n" + "a".repeat(1025) + "\r\n0\r\n\r\n", 413, "body_too_large"),
        Arguments.of("leading space", " 5\r\nhello\r\n0\r\n\r\n" + SMUGGLED, 400, "bad_request"),
        Arguments.of("leading tab", "\t5\r\nhello\r\n0\r\n\r\n" + SMUGGLED, 400, "bad_request"),
        Arguments.of("non-hex digit", "5z\r\nhello\r\n0\r\n\r\n" + SMUGGLED, 400, "bad_request"),
        Arguments.of("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n" + SMUGGLED, 400, "bad_request"),
        Arguments.of("bare LF after the size", "5\nhello\r\n0\r\n\r\n" + SMUGGLED, 400, "bad_request"),
        Arguments.of("bare LF after the data", "5\r\nhello\n0\r\n\r\n" + SMUGGLED, 400, "bad_request"),
        Arguments.of("data longer than declared", "5\r\nhelloX\r\n0\r\n\r\n" + SMUGGLED, 400, "bad_request"),
        Arguments.of("extension without a name", "5;=x\r\nhello\r\n0\r\n\r\n" + SMUGGLED, 400, "bad_request"),
        Arguments.of("space inside an extension name", "5;na me\r\nhello\r\n0\r\n\r\n" + SMUGGLED, 400, "bad_request"));
  }

  private static String head(String path) {
    return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
  }

  @ParameterizedTest(name = "{0} → closed")
  @MethodSource("badBodies")
  void closesWithoutForwardingWhenTheBadChunkCameWithTheHead(String name, String rest, int status, String code)
      throws Exception {
    RawReply reply = RawReply.exchange(gateway, head("/upload") + rest, Duration.ofSeconds(5));

    assertThat(reply.closed()).as("connection closed: " + reply.text()).isTrue();
    // The body is refused before anything reads it, so no refusal can be written, and nothing reached n8n.
    assertThat(reply.responses()).as(reply.text()).isLessThanOrEqualTo(1);
    if (reply.responses() == 1) assertThat(reply.status()).isEqualTo(status);
    assertUpstreamSawOnly();
  }

  @ParameterizedTest(name = "{0} → {2} {3}")
  @MethodSource("badBodies")
  void refusesABadChunkOnceTheBodyIsStreamingAndNeverForwardsTheSmuggledRequest(String name, String rest, int status,
      String code) throws Exception {
    long cutBefore = upstream.uploadsCut();
    RawReply reply;
    try (SSLSocket socket = gateway.connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(bytes(head("/upload") + "5\r\nhello\r\n"));
      out.flush();
      GatewayHarness.awaitTrue(() -> !upstream.seen().isEmpty(), Duration.ofSeconds(5), "the upload to start");
      out.write(bytes(rest));
      out.flush();
      reply = RawReply.read(socket, Duration.ofSeconds(5));
    }

    assertRefused(reply, status, code);
    GatewayHarness.awaitTrue(() -> upstream.uploadsCut() == cutBefore + 1, Duration.ofSeconds(5), "the upload cut");
    assertUpstreamSawOnly("/upload");
  }

  @ParameterizedTest(name = "{0} on a signed webhook → {2} {3}")
  @MethodSource("badBodies")
  void refusesABadChunkOnASignedWebhookRoute(String name, String rest, int status, String code) throws Exception {
    String signature = new TestHmacScheme().sign(bytes("hello"), SECRET, UUID.randomUUID().toString(), null)
        .entrySet().stream().map(e -> e.getKey() + ": " + e.getValue() + "\r\n").collect(Collectors.joining());
    String head = head(SIGNED_PATH).replace("\r\n\r\n", "\r\n" + signature + "\r\n");

    RawReply reply = RawReply.exchange(gateway, head + "5\r\nhello\r\n" + rest, Duration.ofSeconds(5));

    assertRefused(reply, status, code);
    assertUpstreamSawOnly();
  }

  static Stream<Arguments> goodExtensions() {
    return Stream.of(
        Arguments.of("5;name\r\nhello\r\n"),
        Arguments.of("5 ; name=\"quo\\\"ted\"\r\nhello\r\n"),
        Arguments.of("5;a;b=\"c\"\r\nhello\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodExtensions")
  void forwardsTheDecodedBodyOfChunksWithExtensions(String chunk) throws Exception {
    RawReply reply = RawReply.exchange(gateway, head("/echo") + chunk + "1\r\n!\r\n0\r\n\r\n", Duration.ofSeconds(2));

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    JsonNode seen = reply.json();
    assertThat(seen.get("bodyLength").asInt()).isEqualTo(6);
    assertThat(seen.get("bodySha256").asText()).isEqualTo(TestUpstream.sha256(bytes("hello!")));
  }

  /**
   * RFC 9112 allows these, but Netty 4.2.12 refuses a chunk line that ends in a token-valued extension
   * (HttpChunkLineValidatingByteProcessor.finish() omits that state). The gateway fails closed with it: never
   * forwarded, answered 400 when a body reader is already listening, otherwise closed.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("tokenValuedExtensions")
  void refusesAChunkLineEndingInATokenValuedExtensionAsNettyDoes(String chunk) throws Exception {
    long uploaded = upstream.uploadedBytes();
    RawReply reply = RawReply.exchange(gateway, head("/upload") + chunk + "0\r\n\r\n", Duration.ofSeconds(5));

    assertThat(reply.closed()).as(reply.text()).isTrue();
    assertThat(reply.status()).as(reply.text()).isIn(-1, 400);
    assertThat(upstream.uploadedBytes()).isEqualTo(uploaded);
  }

  static Stream<Arguments> tokenValuedExtensions() {
    return Stream.of(Arguments.of("5;name=value\r\nhello\r\n"), Arguments.of("5;a;b=c\r\nhello\r\n"));
  }

  @Test void servesARequestPipelinedAfterAChunkedOneWithTrailers() throws Exception {
    String chunked = head("/upload") + "3;ext\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n";
    String next = "GET /after HTTP/1.1\r\nHost: localhost\r\n\r\n";

    RawReply reply = RawReply.exchange(gateway, chunked + next + chunked, Duration.ofSeconds(1));

    assertThat(reply.responses()).as(reply.text()).isEqualTo(3);
    assertThat(reply.closed()).isFalse();
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/upload", "/after", "/upload");
  }

  private static void assertRefused(RawReply reply, int status, String code) throws Exception {
    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    assertThat(reply.json().get("error").asText()).isEqualTo(code);
    assertThat(reply.closed()).as("connection closed after the refusal").isTrue();
    assertThat(reply.responses()).as(reply.text()).isEqualTo(1);
    String requestId = reply.header("X-Request-Id");
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("reason").asText()).isEqualTo(code);
    assertThat(record.get("status").asInt()).isEqualTo(status);
  }

  /**
   * After a well-formed marker request on a fresh connection (any late forward would have shown by then), n8n has
   * seen exactly {@code expected} and the marker.
   */
  private static void assertUpstreamSawOnly(String... expected) throws Exception {
    String marker = "/marker-" + UUID.randomUUID();
    HttpResponse<String> response = gateway.http1().send(
        HttpRequest.newBuilder(URI.create(gateway.url(marker))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri)
        .containsExactly(Stream.concat(Stream.of(expected), Stream.of(marker)).toArray(String[]::new));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
