package io.gatehouse.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.it.GatewayHarness;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a connection to n8n goes back to the pool and when it must not: against a real HTTP server on loopback that
 * counts the connections it accepted, with every call made on one event loop as the forwarder makes them.
 */
class UpstreamConnectionPoolsTest {
  private Vertx vertx;
  private HttpServer server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger uploadsCut = new AtomicInteger();
  private UpstreamConnectionPools pools;
  private UpstreamAddress address;
  private Context loop;

  @BeforeEach void start() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(1))
        .connectionHandler(c -> accepted.incrementAndGet())
        .requestHandler(request -> {
          switch (request.path()) {
            case "/close" -> request.response().putHeader("Connection", "close").end("bye");
            case "/upload" -> {
              request.exceptionHandler(e -> uploadsCut.incrementAndGet());
              request.end().onSuccess(v -> request.response().end("got it"));
            }
            default -> request.response().end("hello");
          }
        });
    int port = server.listen(0, "127.0.0.1").await().actualPort();
    address = new UpstreamAddress("127.0.0.1", port, false);
    pools = new UpstreamConnectionPools(vertx,
        new UpstreamClientSettings(Duration.ofSeconds(1), 4, 16, Duration.ofSeconds(30), 8 * 1024, 64 * 1024));
    loop = vertx.getOrCreateContext();
  }

  @AfterEach void stop() {
    pools.close().await();
    vertx.close().await();
  }

  @Test void reusesTheConnectionAfterAResponseWithALength() {
    assertThat(get(address, "/a").await().body()).isEqualTo("hello");
    assertThat(get(address, "/b").await().body()).isEqualTo("hello");
    assertThat(accepted).hasValue(1);
  }

  @Test void aHeadResponseHasNoBodyWhateverItsContentLengthAndKeepsTheConnection() {
    // A raw server, so the HEAD answer surely carries the length its GET would have (and no body).
    AtomicInteger rawAccepted = new AtomicInteger();
    NetServer raw = vertx.createNetServer().connectHandler(socket -> {
      rawAccepted.incrementAndGet();
      socket.handler(request -> socket.write(request.toString(StandardCharsets.US_ASCII).startsWith("HEAD")
          ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
          : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
    });
    UpstreamAddress to = new UpstreamAddress("127.0.0.1", raw.listen(0, "127.0.0.1").await().actualPort(), false);
    Answer head = call(to, HttpMethod.HEAD, "/a", UpstreamCall::end).await();
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.contentLength()).isEqualTo("5");
    assertThat(head.body()).isEmpty();
    assertThat(get(to, "/b").await().body()).as("the next response on the same connection").isEqualTo("hello");
    assertThat(rawAccepted).hasValue(1);
  }

  /**
   * n8n (or whatever answers in its place) sends more than its Content-Length: a second, unasked-for response in the
   * same write. Kept in the pool, that connection would hand the smuggled response to the next request, another
   * client's. It is closed instead, and the next request gets a fresh connection and its own answer.
   */
  @Test void neverHandsBytesBeyondAResponseToTheNextRequest() {
    AtomicInteger rawAccepted = new AtomicInteger();
    NetServer raw = vertx.createNetServer().connectHandler(socket -> {
      boolean first = rawAccepted.incrementAndGet() == 1;
      socket.handler(request -> socket.write(first
          ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled"
          : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh"));
    });
    UpstreamAddress to = new UpstreamAddress("127.0.0.1", raw.listen(0, "127.0.0.1").await().actualPort(), false);
    assertThat(get(to, "/a").await().body()).isEqualTo("hello");
    assertThat(get(to, "/b").await().body()).as("the next request's answer").isEqualTo("fresh");
    assertThat(rawAccepted).as("a new connection for it").hasValue(2);
  }

  @Test void closesTheConnectionWhenTheResponseSaysConnectionClose() {
    assertThat(get(address, "/close").await().body()).isEqualTo("bye");
    assertThat(get(address, "/b").await().body()).isEqualTo("hello");
    assertThat(accepted).hasValue(2);
  }

  @Test void neverReusesAConnectionLeftWithHalfARequest() throws Exception {
    Promise<Void> aborted = Promise.promise();
    onLoop(() -> pools.acquire(address, Duration.ofSeconds(1)).map(connection -> {
      UpstreamCall upload = connection.call(HttpMethod.POST, "/upload", new Answer.Collector(Promise.promise()));
      upload.headers().set("Content-Length", "100");
      upload.write(Unpooled.copiedBuffer("ten bytes!", StandardCharsets.US_ASCII));
      upload.abort();
      aborted.complete();
      return null;
    })).await();
    aborted.future().await();
    GatewayHarness.awaitTrue(() -> uploadsCut.get() == 1, Duration.ofSeconds(5), "the upload cut at the server");
    assertThat(get(address, "/b").await().body()).isEqualTo("hello");
    assertThat(accepted).hasValue(2);
  }

  @Test void replacesAnIdleConnectionTheServerClosed() throws Exception {
    assertThat(get(address, "/a").await().body()).isEqualTo("hello");
    Thread.sleep(2500); // the server's idle timeout (1 s) closes it while it sits in the pool
    assertThat(get(address, "/b").await().body()).isEqualTo("hello");
    assertThat(accepted).hasValue(2);
  }

  @Test void readsAResponseWithoutALengthUntilTheServerCloses() {
    NetServer raw = vertx.createNetServer().connectHandler(socket -> socket.handler(request ->
        socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end").onComplete(v -> socket.close())));
    int port = raw.listen(0, "127.0.0.1").await().actualPort();
    Answer answer = get(new UpstreamAddress("127.0.0.1", port, false), "/").await();
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("until the end");
  }

  @Test void aConnectionRefusedFailsTheAcquire() throws Exception {
    int closed;
    try (var socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Throwable failure = onLoop(() -> pools.acquire(new UpstreamAddress("127.0.0.1", closed, false), Duration.ofSeconds(1)))
        .transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(failure).isInstanceOf(java.net.ConnectException.class);
  }

  @Test void refusesAnHttpsUpstreamWhoseCertificateIsNotTrusted() {
    // Self-signed: not in the default trust store, so the handshake must fail rather than fall back to trusting it.
    HttpServer https = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(SelfSignedCertificate.create("localhost").keyCertOptions()))
        .requestHandler(request -> request.response().end("must not be reached"));
    int port = https.listen(0, "127.0.0.1").await().actualPort();
    Throwable failure = onLoop(() -> pools.acquire(new UpstreamAddress("localhost", port, true), Duration.ofSeconds(2)))
        .transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(failure).isInstanceOf(javax.net.ssl.SSLException.class);
  }

  @Test void aTlsHandshakeThatNeverCompletesFailsWithinTheConnectTimeout() {
    NetServer silent = vertx.createNetServer().connectHandler(socket -> { }); // takes TCP, never answers TLS
    int port = silent.listen(0, "127.0.0.1").await().actualPort();
    long start = System.nanoTime();
    Throwable failure = onLoop(() -> pools.acquire(new UpstreamAddress("127.0.0.1", port, true), Duration.ofSeconds(5)))
        .transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(failure).isInstanceOf(io.netty.handler.ssl.SslHandshakeTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("upstream_connect, 1 s here").isLessThan(Duration.ofSeconds(3));
  }

  /** What a call received. */
  record Answer(int status, String contentLength, String body) {
    /** Collects one response into {@code done}; fails it on a failure. */
    static final class Collector implements UpstreamResponseHandler {
      private final Promise<Answer> done;
      private final StringBuilder body = new StringBuilder();
      private HttpResponse head;

      Collector(Promise<Answer> done) {
        this.done = done;
      }

      @Override public void onHead(HttpResponse response) { head = response; }

      @Override public void onContent(ByteBuf content) {
        body.append(content.toString(StandardCharsets.UTF_8));
        content.release();
      }

      @Override public void onEnd() {
        done.tryComplete(new Answer(head.status().code(), head.headers().get("Content-Length"), body.toString()));
      }

      @Override public void onFailure(Throwable cause) { done.tryFail(cause); }
    }
  }

  private Future<Answer> get(UpstreamAddress to, String uri) {
    return call(to, HttpMethod.GET, uri, UpstreamCall::end);
  }

  private Future<Answer> call(UpstreamAddress to, HttpMethod method, String uri, Consumer<UpstreamCall> send) {
    return onLoop(() -> pools.acquire(to, Duration.ofSeconds(1)).compose(connection -> {
      Promise<Answer> done = Promise.promise();
      send.accept(connection.call(method, uri, new Answer.Collector(done)));
      return done.future();
    }));
  }

  /** On the test's one event loop, as the forwarder runs: the pools are per loop. */
  private <T> Future<T> onLoop(Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    loop.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }
}
