package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code max_body} and the {@code request_header} deadline end to end: an oversized body is refused before or
 * while it streams and never completes at the upstream, and a client that is slow to send its head is cut
 * whether it stalls or dribbles. One gateway with {@code max_body: 1KiB} and {@code request_header: 1s}; its idle
 * timeout is a minute, so only the header deadline can cut within the few seconds these tests allow.
 */
class RequestLimitsIT {
  private static final int MAX_BODY = 1024;
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), GatewayHarness.DEFAULT_ROUTES, "  max_body: \"1KiB\"\n",
        GatewayHarness.Options.DEFAULTS.withTimeouts(
            "{ idle: \"60s\", request_header: \"1s\", upstream_connect: \"2s\", upstream_response: \"3s\", drain: \"5s\" }"));
  }

  @AfterAll static void stop() {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
  }

  @Test void refusesADeclaredLengthOverMaxBodyBeforeTheBodyIsSent() throws Exception {
    // Only the head is sent: the answer can only come from the declared length.
    RawReply reply = RawReply.exchange(gateway,
        "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2048\r\n\r\n", Duration.ofSeconds(5));

    assertRefused(reply, 413, "body_too_large");
    assertThat(reply.closed()).as("the unread body must not be read as the next request").isTrue();
    assertThat(upstream.seen()).isEmpty();
  }

  @Test void aClientStillSendingItsBodyAfterTheRefusalReadsIt() throws Exception {
    // Most clients send the body right behind the head and read only afterwards. Closing at once with those bytes
    // unread would make the kernel reset the connection, and the reset can destroy the 413 before the client reads
    // it; the gateway shuts down its side and drains what arrives for a while instead (LingeringClose).
    try (SSLSocket socket = gateway.connect()) {
      OutputStream out = socket.getOutputStream();
      int bodyLength = 512 * 1024;
      write(out, "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + bodyLength + "\r\n\r\n");
      byte[] piece = new byte[16 * 1024];
      for (int sent = 0; sent < bodyLength; sent += piece.length) out.write(piece);
      out.flush();
      RawReply reply = RawReply.read(socket, Duration.ofSeconds(5));

      assertRefused(reply, 413, "body_too_large");
      assertThat(reply.closed()).isTrue();
    }
    assertThat(upstream.seen()).isEmpty();
  }

  @Test void cutsAChunkedBodyThatGrowsPastMaxBodyAndNeverLetsTheUpstreamFinishIt() throws Exception {
    // The upstream's counters cover the whole class.
    long uploadedBefore = upstream.uploadedBytes();
    try (SSLSocket socket = gateway.connect()) {
      OutputStream out = socket.getOutputStream();
      write(out, "POST /upload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(600));
      // The body is within the limit so far, so the gateway has started the upstream request.
      GatewayHarness.awaitTrue(() -> !upstream.seen().isEmpty(), Duration.ofSeconds(5), "the upload to start upstream");
      write(out, chunk(600) + chunk(600) + "0\r\n\r\n");
      RawReply reply = RawReply.read(socket, Duration.ofSeconds(5));

      assertRefused(reply, 413, "body_too_large");
      assertThat(reply.closed()).isTrue();
    }
    // The gateway aborts the upstream request and closes its connection, so the half-sent body is never
    // completed there, and the pool's next request to the upstream starts clean. (Whether Vert.x reports the
    // drop to the upstream as a request exception or only as a connection close varies with timing, so the
    // test asserts the outcome rather than the callback.)
    var next = gateway.http1().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.url("/after-cut")))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(upstream.uploadedBytes()).as("the upstream never received a whole body").isEqualTo(uploadedBefore);
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/upload", "/after-cut");
  }

  @Test void forwardsABodyOfExactlyMaxBody() throws Exception {
    HttpResponse<String> response = gateway.http1().send(
        HttpRequest.newBuilder(URI.create(gateway.url("/upload")))
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_BODY])).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(Integer.toString(MAX_BODY));
  }

  @Test void forwardsAChunkedBodyOfExactlyMaxBody() throws Exception {
    RawReply reply = RawReply.exchange(gateway,
        "POST /upload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + chunk(512) + chunk(512) + "0\r\n\r\n",
        Duration.ofSeconds(5));

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo(Integer.toString(MAX_BODY));
  }

  @Test void cutsAClientThatStopsSendingItsHead() throws Exception {
    try (SSLSocket socket = gateway.connect()) {
      write(socket.getOutputStream(), "GET /rest/x HTTP/1.1\r\nHost: localhost\r\n");
      long start = System.nanoTime();
      RawReply reply = RawReply.read(socket, Duration.ofSeconds(5));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      assertThat(reply.closed()).as("cut by the request_header deadline").isTrue();
      assertThat(waited).isBetween(Duration.ofMillis(500), Duration.ofSeconds(3));
      assertThat(reply.text()).isEmpty();
    }
    assertThat(upstream.seen()).isEmpty();
  }

  @Test void cutsAClientDribblingItsHeadFasterThanTheIdleTimeout() throws Exception {
    byte[] head = ("GET /rest/x HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "a".repeat(40) + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    int sent = 0;
    boolean closed = false;
    long start;
    try (SSLSocket socket = gateway.connect()) {
      // The deadline runs from the end of the handshake, when the gateway sees the connection.
      start = System.nanoTime();
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // The 300 ms read timeout paces the dribble and notices the close at once.
      socket.setSoTimeout(300);
      while (sent < head.length && !closed && System.nanoTime() - start < Duration.ofSeconds(6).toNanos()) {
        try {
          out.write(head[sent]);
          out.flush();
          sent++;
          int answer = in.read();
          assertThat(answer).as("the gateway answered a head it never fully received").isEqualTo(-1);
          closed = true;
        } catch (SocketTimeoutException stillOpen) {
          // Nothing from the gateway yet: send the next byte.
        } catch (SSLException | SocketException reset) {
          closed = true;
        }
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(closed).as("cut while dribbling").isTrue();
    assertThat(sent).as("bytes sent before the cut").isLessThan(head.length);
    assertThat(took).isLessThan(Duration.ofSeconds(3));
    assertThat(upstream.seen()).isEmpty();
  }

  @Test void keepsABusyKeepAliveConnectionOpenLongerThanTheDeadline() throws Exception {
    // Each head arrives well within its deadline, while the connection lives for 2.5 deadlines.
    try (SSLSocket socket = gateway.connect()) {
      socket.setSoTimeout(5000);
      long start = System.nanoTime();
      // A fixed number of requests, so a slow machine makes the test longer, never weaker.
      for (int i = 0; i < 13; i++) {
        write(socket.getOutputStream(), "GET /rest/ping HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(readOneResponse(socket)).as("request %d", i + 1).startsWith("HTTP/1.1 200");
        Thread.sleep(200);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(2500));
    }
  }

  @Test void cutsAKeepAliveClientThatStallsInItsNextHead() throws Exception {
    try (SSLSocket socket = gateway.connect()) {
      socket.setSoTimeout(5000);
      write(socket.getOutputStream(), "GET /rest/ping HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(readOneResponse(socket)).startsWith("HTTP/1.1 200");
      // The next head's deadline runs from the end of that response.
      long start = System.nanoTime();
      write(socket.getOutputStream(), "GET /rest/second HTTP/1.1\r\nHost: localhost\r\n");
      RawReply reply = RawReply.read(socket, Duration.ofSeconds(5));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      assertThat(reply.closed()).as("cut by the request_header deadline").isTrue();
      assertThat(waited).isBetween(Duration.ofMillis(500), Duration.ofSeconds(3));
      assertThat(reply.text()).isEmpty();
    }
    assertThat(upstream.seen()).hasSize(1);
  }

  /** Reads one response with a Content-Length body from a keep-alive connection; returns its head. */
  private static String readOneResponse(SSLSocket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new EOFException("closed after " + head);
      head.append((char) b);
    }
    Matcher length = CONTENT_LENGTH.matcher(head);
    assertThat(length.find()).as("a sized response: %s", head).isTrue();
    in.readNBytes(Integer.parseInt(length.group(1)));
    return head.toString();
  }

  private static void assertRefused(RawReply reply, int status, String code) throws Exception {
    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    String requestId = reply.header("X-Request-Id");
    assertThat(requestId).isNotBlank();
    assertThat(reply.json().get("error").asText()).isEqualTo(code);
    assertThat(reply.json().get("request_id").asText()).isEqualTo(requestId);
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("reason").asText()).isEqualTo(code);
    assertThat(record.get("status").asInt()).isEqualTo(status);
  }

  private static String chunk(int size) {
    return Integer.toHexString(size) + "\r\n" + "x".repeat(size) + "\r\n";
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
