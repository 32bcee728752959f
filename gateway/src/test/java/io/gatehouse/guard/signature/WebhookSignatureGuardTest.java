package io.gatehouse.guard.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RouteConfig.ReplayStoreDown;
import io.gatehouse.config.RouteConfig.SignatureMode;
import io.gatehouse.config.Secret;
import io.gatehouse.config.WebhookConfig;
import io.gatehouse.core.BodyBudget;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.GuardChain;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Verdict;
import io.gatehouse.guard.CountingGuard;
import io.gatehouse.guard.replay.LocalReplayStore;
import io.gatehouse.guard.replay.ReplayStore;
import io.gatehouse.route.Normalized;
import io.gatehouse.route.PathNormalizer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard over real HTTP/1.1 on loopback: a small server runs {@code [guard, next]} on each request and answers
 * with the verdict ({@code 200} and the SHA-256 of the body the guard kept, or the refusal's status and code).
 * {@code next} stands for everything after the guard: every refusal asserts it was never called.
 */
class WebhookSignatureGuardTest {
  static final String PATH = "/webhook/claims-intake";
  static final Secret SECRET = new Secret("claims-secret-0123456789abcdef", true);
  static final WebhookConfig WEBHOOK = new WebhookConfig(PATH, "test", List.of(SECRET), Duration.ofMinutes(5));
  static final long MAX_BODY = 4096;

  private final Vertx vertx = Vertx.vertx();
  // No keep-alive: the test server closes every connection, and reusing one it is closing can leave a request
  // unanswered.
  private final HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(false));
  private final CountingGuard next = new CountingGuard();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> storeErrors = new CopyOnWriteArrayList<>();
  private final List<Verdict> verdicts = new CopyOnWriteArrayList<>();
  private int port;

  @AfterEach
  void close() {
    client.close().await();
    vertx.close().await();
  }

  @Test
  void refusesRequiredRouteWithoutWebhookEntryWith401SignatureMissing() throws Exception {
    start(SignatureMode.REQUIRED, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    Reply reply = send("/webhook/not-configured", signed("{}", "d-1"), "{}");
    assertThat(reply).isEqualTo(Reply.refused(Reason.SIGNATURE_MISSING));
    assertThat(next.calls()).isZero();
    assertThat(events).containsExactly("none|signature_missing");
  }

  @Test
  void refusesDeliverySignedForOnePathOnItsUpperCaseSpellingWith401SignatureMissing() throws Exception {
    // n8n looks "/webhook/CLAIMS-INTAKE" up as another webhook than "/webhook/claims-intake": no entry covers it.
    start(SignatureMode.REQUIRED, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    Reply reply = send("/webhook/CLAIMS-INTAKE", signed("{}", "d-case"), "{}");
    assertThat(reply).isEqualTo(Reply.refused(Reason.SIGNATURE_MISSING));
    assertThat(next.calls()).isZero();
    assertThat(events).containsExactly("none|signature_missing");
  }

  @Test
  void refusesUnsignedDeliveryOnRequiredRouteWith401SignatureMissing() throws Exception {
    start(SignatureMode.REQUIRED, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    assertThat(send(PATH, Map.of(), "{}")).isEqualTo(Reply.refused(Reason.SIGNATURE_MISSING));
    assertThat(next.calls()).isZero();
    assertThat(events).containsExactly(PATH + "|signature_missing");
  }

  @Test
  void optionalRoutePassesUnsignedDeliveryWithoutReadingTheBody() throws Exception {
    start(SignatureMode.OPTIONAL, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    assertThat(send(PATH, Map.of(), "{}")).isEqualTo(new Reply(200, "unread"));
    assertThat(send("/webhook/not-configured", Map.of(), "{}")).isEqualTo(new Reply(200, "unread"));
    assertThat(next.calls()).isEqualTo(2);
  }

  @Test
  void optionalRouteStillRefusesAForgedSignatureWith401() throws Exception {
    start(SignatureMode.OPTIONAL, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    Reply reply = send(PATH, Map.of(TestHmacScheme.SIGNATURE, "00".repeat(32), TestHmacScheme.ID, "d-1"), "{}");
    assertThat(reply).isEqualTo(Reply.refused(Reason.SIGNATURE_INVALID));
    assertThat(next.calls()).isZero();
  }

  @Test
  void refusesForgedSignatureWith401SignatureInvalid() throws Exception {
    start(SignatureMode.REQUIRED, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    Map<String, String> forged = new TestHmacScheme().sign(bytes("{}"), new Secret("another-secret-0123456789", true),
        "d-1", null);
    assertThat(send(PATH, forged, "{}")).isEqualTo(Reply.refused(Reason.SIGNATURE_INVALID));
    assertThat(next.calls()).isZero();
    assertThat(events).containsExactly(PATH + "|signature_invalid");
  }

  @Test
  void refusesBodyChangedByOneByteWith401SignatureInvalid() throws Exception {
    start(SignatureMode.REQUIRED, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    assertThat(send(PATH, signed("{\"amount\":100}", "d-1"), "{\"amount\":900}"))
        .isEqualTo(Reply.refused(Reason.SIGNATURE_INVALID));
    assertThat(next.calls()).isZero();
  }

  @Test
  void passesValidDeliveryAndKeepsExactlyTheBytesReceived() throws Exception {
    start(SignatureMode.REQUIRED, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    String body = "{\"claim\":\"A-1\",\"note\":\"" + "x".repeat(3000) + "\"}";
    assertThat(send(PATH, signed(body, "d-1"), body)).isEqualTo(new Reply(200, sha256(bytes(body))));
    assertThat(next.calls()).isEqualTo(1);
    assertThat(events).containsExactly(PATH + "|ok");
  }

  @Test
  void passesValidChunkedDeliveryAndKeepsExactlyTheBytesReceived() throws Exception {
    start(SignatureMode.REQUIRED, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    List<String> chunks = List.of("{\"a\":", "\"" + "y".repeat(1500) + "\"", ",\"b\":2}");
    String body = String.join("", chunks);
    assertThat(sendChunked(PATH, signed(body, "d-1"), chunks)).isEqualTo(new Reply(200, sha256(bytes(body))));
    assertThat(next.calls()).isEqualTo(1);
  }

  @Test
  void refusesSecondDeliveryOfTheSameIdWith409Replayed() throws Exception {
    start(SignatureMode.REQUIRED, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    assertThat(send(PATH, signed("{}", "d-1"), "{}").status()).isEqualTo(200);
    assertThat(send(PATH, signed("{}", "d-1"), "{}")).isEqualTo(Reply.refused(Reason.REPLAYED));
    assertThat(send(PATH, signed("{}", "d-2"), "{}").status()).isEqualTo(200);
    assertThat(next.calls()).isEqualTo(2);
    assertThat(events).containsExactly(PATH + "|ok", PATH + "|replayed", PATH + "|ok");
  }

  @Test
  void refusesDeclaredBodyOverMaxBodyWith413() throws Exception {
    start(SignatureMode.REQUIRED, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    String body = "z".repeat((int) MAX_BODY + 1);
    assertThat(send(PATH, signed(body, "d-1"), body)).isEqualTo(Reply.refused(Reason.BODY_TOO_LARGE));
    assertThat(next.calls()).isZero();
  }

  @Test
  void refusesStreamedBodyOverMaxBodyWith413() throws Exception {
    start(SignatureMode.REQUIRED, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    List<String> chunks = List.of("a".repeat(2000), "b".repeat(2000), "c".repeat(2000), "d".repeat(2000));
    Reply reply = sendChunked(PATH, signed(String.join("", chunks), "d-1"), chunks);
    assertThat(reply).isEqualTo(Reply.refused(Reason.BODY_TOO_LARGE));
    assertThat(next.calls()).isZero();
    assertThat(events).containsExactly(PATH + "|body_too_large");
  }

  @Test
  void everySpellingOfTheWebhookPathFindsTheSameEntry() throws Exception {
    start(SignatureMode.REQUIRED, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    // Spellings n8n resolves to the same webhook: the endpoint in any case, the path after it exactly.
    List<String> spellings = List.of("/webhook/claims-intake/", "/WEBHOOK/claims-intake", "/webhook//claims-intake",
        "/webhook/claims-intake?via=query", "/webhook/./claims%2Dintake", "/Webhook/claims-intake/?x=1");
    for (String spelling : spellings) {
      // Unsigned: refused by the entry (its label), not as an unconfigured path.
      assertThat(send(spelling, Map.of(), "{}")).as(spelling).isEqualTo(Reply.refused(Reason.SIGNATURE_MISSING));
      // Signed for the entry: accepted; one delivery id across all spellings is one delivery.
      assertThat(send(spelling, signed("{}", "id-" + spelling), "{}").status()).as(spelling).isEqualTo(200);
      assertThat(send(spelling, signed("{}", "shared-id"), "{}").status()).as(spelling)
          .isEqualTo(spelling.equals(spellings.get(0)) ? 200 : 409);
    }
    assertThat(events).filteredOn(e -> e.startsWith("none|")).isEmpty();
    assertThat(next.calls()).isEqualTo(spellings.size() + 1);
  }

  @Test
  void refusesWith503StoreUnavailableAndRetryAfterWhenReplayStoreIsDownAndRouteFailsClosed() throws Exception {
    start(SignatureMode.REQUIRED, new DownReplayStore(), ReplayStoreDown.REFUSE);
    assertThat(send(PATH, signed("{}", "d-1"), "{}")).isEqualTo(new Reply(503, "store_unavailable"));
    assertThat(verdicts).singleElement().isInstanceOfSatisfying(Verdict.Refuse.class,
        refuse -> assertThat(refuse.headers().first("Retry-After")).isEqualTo("5"));
    assertThat(next.calls()).isZero();
    assertThat(storeErrors).containsExactly("down");
    assertThat(events).containsExactly(PATH + "|store_unavailable");
  }

  @Test
  void passesValidDeliveryUncheckedWhenReplayStoreIsDownAndRouteAllowsIt() throws Exception {
    start(SignatureMode.REQUIRED, new DownReplayStore(), ReplayStoreDown.ALLOW);
    assertThat(send(PATH, signed("{}", "d-1"), "{}").status()).isEqualTo(200);
    assertThat(send(PATH, signed("{}", "forged-by-nobody"), "{ }")).isEqualTo(Reply.refused(Reason.SIGNATURE_INVALID));
    assertThat(next.calls()).isEqualTo(1);
    assertThat(storeErrors).containsExactly("down");
    assertThat(events).containsExactly(PATH + "|unchecked", PATH + "|signature_invalid");
  }

  @Test
  void forgetsTheDeliveryWhenItNeverReachedTheUpstreamSoTheRetryPasses() throws Exception {
    start(SignatureMode.REQUIRED, new LocalReplayStore(), ReplayStoreDown.REFUSE);
    Map<String, String> headers = new java.util.HashMap<>(signed("{}", "d-1"));
    headers.put("X-Test-Not-Delivered", "1");
    assertThat(send(PATH, headers, "{}").status()).isEqualTo(200);
    assertThat(send(PATH, signed("{}", "d-1"), "{}").status()).isEqualTo(200);
    assertThat(send(PATH, signed("{}", "d-1"), "{}")).isEqualTo(Reply.refused(Reason.REPLAYED));
  }

  @Test
  void remembersReplayKeysForTwiceTheTolerance() {
    assertThat(WebhookSignatureGuard.replayTtl(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(10));
    assertThat(WebhookSignatureGuard.replayTtl(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
  }

  // --- harness ---

  record Reply(int status, String body) {
    static Reply refused(Reason reason) {
      return new Reply(reason.status(), reason.code());
    }
  }

  /** A store whose backend cannot be reached. */
  static final class DownReplayStore implements ReplayStore {
    @Override public Future<Boolean> firstSeen(String key, Duration ttl) {
      return Future.failedFuture(new java.net.ConnectException("connection refused"));
    }

    @Override public Future<Void> forget(String key) {
      return Future.failedFuture(new java.net.ConnectException("connection refused"));
    }

    @Override public String name() {
      return "down";
    }

    @Override public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  private void start(SignatureMode mode, ReplayStore store, ReplayStoreDown whenDown) throws Exception {
    WebhookSignatureEvents recorder = new WebhookSignatureEvents() {
      @Override public void webhookVerified(String webhook, String result) {
        events.add(webhook + "|" + result);
      }

      @Override public void replayStoreError(String name) {
        storeErrors.add(name);
      }
    };
    WebhookDirectory webhooks = WebhookDirectory.of(List.of(WEBHOOK), w -> new TestHmacScheme());
    var guard = new WebhookSignatureGuard(mode, webhooks, store, whenDown, MAX_BODY,
        new BodyBudget(64L << 20), Duration.ofSeconds(30), Clock.systemUTC(), recorder);
    GuardChain chain = new GuardChain(List.of(guard, next));
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      request.pause();
      Exchange exchange = new Exchange("test", new io.gatehouse.http.VertxClientRequest(request));
      exchange.path(((Normalized.Ok) PathNormalizer.normalizeTarget(request.uri())).path());
      // A refusal leaves the body unread: answered once the rest has arrived. This plain Vert.x server closes every
      // connection, and a close with bytes unread makes the kernel reset it, which now and then lost the answer (a 10 s
      // timeout, in about one full test run in two). The gateway's own listener lingers instead (LingeringClose).
      chain.run(exchange).onComplete(ar -> {
        if (ar.succeeded()) verdicts.add(ar.result());
        if (request.isEnded()) {
          answer(request, exchange, ar);
        } else {
          request.endHandler(v -> answer(request, exchange, ar));
          request.resume();
        }
      });
    });
    port = server.listen(0, "127.0.0.1").await().actualPort();
  }

  private static void answer(io.vertx.core.http.HttpServerRequest request, Exchange exchange,
      io.vertx.core.AsyncResult<Verdict> ar) {
    var response = request.response().putHeader("Connection", "close");
        if (ar.result() instanceof Verdict.Refuse refuse) {
      response.setStatusCode(refuse.status()).end(refuse.reason().code());
      return;
    }
    if (request.getHeader("X-Test-Not-Delivered") != null) exchange.deliveryFailed();
    response.end(exchange.body() == null ? "unread" : sha256(exchange.body().bytes()));
  }

  private Reply send(String uri, Map<String, String> headers, String body) throws Exception {
    return exchange(uri, headers, request -> request.send(Buffer.buffer(body)));
  }

  private Reply sendChunked(String uri, Map<String, String> headers, List<String> chunks) throws Exception {
    return exchange(uri, headers, request -> {
      request.setChunked(true);
      for (String chunk : chunks) request.write(chunk);
      request.end();
      return request.response();
    });
  }

  private Reply exchange(String uri, Map<String, String> headers,
      java.util.function.Function<HttpClientRequest, Future<io.vertx.core.http.HttpClientResponse>> send)
      throws java.util.concurrent.TimeoutException {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(uri);
    return client.request(options)
        .compose(request -> {
          headers.forEach(request::putHeader);
          return send.apply(request);
        })
        .compose(response -> response.body().map(b -> new Reply(response.statusCode(), b.toString())))
        .await(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static Map<String, String> signed(String body, String id) {
    return new TestHmacScheme().sign(bytes(body), SECRET, id, null);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
