package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request smuggling and head hygiene, end to end over raw TLS: every request head that two HTTP parsers could
 * read differently is refused with the CONTRACT code, nothing of it (nor the second request hidden behind it)
 * reaches n8n, and the connection is closed so nothing pipelined after it is read either.
 */
class RequestSmugglingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Pipelined after every bad request: if the gateway read on, n8n would see this one. */
  private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url());
  }

  @AfterAll static void stop() {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
  }

  static Stream<Arguments> badHeads() {
    String head = "POST /rest/a HTTP/1.1\r\nHost: localhost\r\n";
    String get = "GET /rest/a HTTP/1.1\r\nHost: localhost\r\n";
    return Stream.of(
        Arguments.of("Content-Length with Transfer-Encoding chunked",
            head + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "bad_request"),
        Arguments.of("Transfer-Encoding chunked before Content-Length",
            head + "Transfer-Encoding: chunked\r\nContent-Length: 45\r\n\r\n0\r\n\r\n", 400, "bad_request"),
        Arguments.of("two differing Content-Length",
            head + "Content-Length: 4\r\nContent-Length: 49\r\n\r\nabcd", 400, "bad_request"),
        Arguments.of("two identical Content-Length",
            head + "Content-Length: 4\r\nContent-Length: 4\r\n\r\nabcd", 400, "bad_request"),
        Arguments.of("comma-joined Content-Length",
            head + "Content-Length: 4, 4\r\n\r\nabcd", 400, "bad_request"),
        // Netty frames an unknown coding as "no body", so the smuggled GET below is its body to n8n's parser and
        // a request of its own to ours.
        Arguments.of("Transfer-Encoding xchunked", head + "Transfer-Encoding: xchunked\r\n\r\n", 400, "bad_request"),
        Arguments.of("Transfer-Encoding chunked, identity",
            head + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400, "bad_request"),
        Arguments.of("Transfer-Encoding twice",
            head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "bad_request"),
        Arguments.of("obsolete line folding", get + "X-A: b\r\n c\r\n\r\n", 400, "bad_request"),
        Arguments.of("control byte in a header value", get + "X-A: b\u0001c\r\n\r\n", 400, "bad_request"),
        Arguments.of("NUL in the target", "GET /rest/a\u0000b HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "bad_request"),
        Arguments.of("two Host headers", get + "Host: evil.example\r\n\r\n", 400, "bad_request"),
        Arguments.of("no Host header on HTTP/1.1", "GET /rest/a HTTP/1.1\r\n\r\n", 400, "bad_request"),
        Arguments.of("absolute-form target naming another host",
            "GET https://evil.example/rest/a HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "bad_request"),
        Arguments.of("CONNECT", "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n", 400, "bad_request"),
        Arguments.of("TRACE", "TRACE /rest/a HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "bad_request"),
        Arguments.of("lower-case method", "get /rest/a HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "bad_request"),
        // The listener allows 32 KiB of headers.
        Arguments.of("header section over the limit",
            get + "X-Big: " + "a".repeat(40 * 1024) + "\r\n\r\n", 431, "headers_too_large"),
        // The listener allows an 8 KiB request line; CONTRACT: 431 for "request line or headers over the limit".
        Arguments.of("request line over the limit",
            "GET /rest/" + "a".repeat(20 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 431, "headers_too_large"),
        // Just over the line limit: the same 431, never a 400 from the path normalizer's own 8 KiB cap.
        Arguments.of("request line just over the limit",
            "GET /rest/" + "a".repeat(8 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 431, "headers_too_large"));
  }

  @ParameterizedTest(name = "{0} → {2} {3}")
  @MethodSource("badHeads")
  void refusesAndClosesWithoutForwardingAnything(String name, String badRequest, int status, String code)
      throws Exception {
    RawReply reply = RawReply.exchange(gateway, badRequest + SMUGGLED, Duration.ofSeconds(5));

    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    String requestId = reply.header("X-Request-Id");
    assertThat(requestId).isNotBlank();
    JsonNode body = reply.json();
    assertThat(body.get("error").asText()).isEqualTo(code);
    assertThat(body.get("request_id").asText()).isEqualTo(requestId);
    assertThat(reply.closed()).as("connection closed after the refusal").isTrue();
    assertThat(reply.responses()).as("only the refusal was answered: " + reply.text()).isEqualTo(1);
    assertUpstreamSawNothingButAMarker();
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("reason").asText()).isEqualTo(code);
    assertThat(record.get("status").asInt()).isEqualTo(status);
  }

  @Test void refusesAnHttp2HeaderValueCarryingCrLfWithoutForwardingIt() throws Exception {
    RawHttp2Client.Reply reply = RawHttp2Client.send(gateway, List.of(
        Map.entry(":method", "GET"),
        Map.entry(":scheme", "https"),
        Map.entry(":authority", "localhost:" + gateway.port()),
        Map.entry(":path", "/rest/a"),
        Map.entry("x-a", "b\r\nx-injected: 1")));

    assertThat(reply.outcome()).isEqualTo("response");
    assertThat(reply.status()).isEqualTo(400);
    String requestId = reply.headers().get("x-request-id");
    assertThat(requestId).isNotBlank();
    JsonNode body = JSON.readTree(reply.body());
    assertThat(body.get("error").asText()).isEqualTo("bad_request");
    assertThat(body.get("request_id").asText()).isEqualTo(requestId);
    assertUpstreamSawNothingButAMarker();
    assertThat(gateway.accessRecord(requestId).get("reason").asText()).isEqualTo("bad_request");
  }

  @Test void forwardsAWellFormedChunkedRequestOnAKeptAliveConnection() throws Exception {
    // The control case: the same raw path with sound framing goes through, twice on one connection.
    String chunked = "POST /upload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n";
    RawReply reply = RawReply.exchange(gateway, chunked + chunked, Duration.ofSeconds(1));

    assertThat(reply.responses()).as(reply.text()).isEqualTo(2);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("4");
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/upload", "/upload");
  }

  /**
   * Negative assertions need a point after which a late forward would have shown: a well-formed request on a
   * fresh connection, answered by the upstream, is that point (the gateway forwards in arrival order per
   * event loop, and any smuggled request was decoded before the refusal was even sent).
   */
  private static void assertUpstreamSawNothingButAMarker() throws Exception {
    String marker = "/marker-" + UUID.randomUUID();
    HttpResponse<String> response = gateway.http1().send(
        HttpRequest.newBuilder(URI.create(gateway.url(marker))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly(marker);
  }
}
