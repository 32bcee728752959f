package io.gatehouse.sso.jwt;

import static io.gatehouse.sso.jwt.TestTokens.ISSUER;
import static io.gatehouse.sso.jwt.TestTokens.claims;
import static io.gatehouse.sso.jwt.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real JWKS endpoint: a Vert.x HTTP server on 127.0.0.1, on a port picked at runtime. */
class HttpJwksSourceTest {
  private static final TestKey RSA = TestKey.rsa("rsa");
  private static final TestKey EC = TestKey.p256("ec");
  private static final TestKey ED = TestKey.ed25519("ed");
  private static final String JWKS = "{\"keys\":[" + RSA.jwkJson() + "," + EC.jwkJson() + "," + ED.jwkJson()
      + ",{\"kty\":\"oct\",\"kid\":\"hmac\",\"k\":\"AAAA\"}]}";

  private final AtomicReference<Consumer<HttpServerRequest>> handler = new AtomicReference<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private HttpServer server;
  private HttpJwksSource source;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    handler.set(request -> request.response().putHeader("Content-Type", "application/json").end(JWKS));
    server = vertx.createHttpServer().requestHandler(request -> {
      requests.add(request.method() + " " + request.uri() + " accept=" + request.getHeader("Accept"));
      handler.get().accept(request);
    }).listen(0, "127.0.0.1").await(60, TimeUnit.SECONDS);
    // Generous: the deadline is not what these tests are about, and the machine may be busy.
    source = source(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    source.close().await(60, TimeUnit.SECONDS);
    server.close().await(60, TimeUnit.SECONDS);
    vertx.close().await(60, TimeUnit.SECONDS);
  }

  @Test
  void fetchesAndParsesTheServedKeysSkippingTheSymmetricOne() throws Exception {
    List<JsonWebKey> keys = source.fetch().await(60, TimeUnit.SECONDS);

    assertThat(keys).extracting(JsonWebKey::kid).containsExactly("rsa", "ec", "ed");
    assertThat(requests).containsExactly("GET /realms/corp/protocol/openid-connect/certs "
        + "accept=application/jwk-set+json, application/json");
  }

  @Test
  void aVerifierBuiltOnItChecksTokensOfEachKey() throws Exception {
    JwtVerifier verifier = new JwtVerifier(ISSUER, source, Duration.ofSeconds(30), Clock.systemUTC());
    verifier.refresh().await(60, TimeUnit.SECONDS);
    var now = java.time.Instant.now();

    assertThat(verifier.verify(token("RS256", RSA, claims(now))).result()).isInstanceOf(JwtResult.Verified.class);
    assertThat(verifier.verify(token("ES256", EC, claims(now))).result()).isInstanceOf(JwtResult.Verified.class);
    assertThat(verifier.verify(token("EdDSA", ED, claims(now))).result()).isInstanceOf(JwtResult.Verified.class);
    assertThat(requests).hasSize(1);
  }

  @Test
  void failsOnAnErrorStatusWithoutRedirecting() {
    handler.set(request -> request.response().setStatusCode(302).putHeader("Location", "/elsewhere").end());
    assertThatThrownBy(() -> source.fetch().await(60, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);

    handler.set(request -> request.response().setStatusCode(500).end(JWKS));
    assertThatThrownBy(() -> source.fetch().await(60, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    assertThat(requests).hasSize(2);
  }

  @Test
  void failsOnABodyOverTheCapDeclaredOrStreamed() {
    String huge = "{\"keys\":[" + ("{\"kty\":\"x\"},".repeat(HttpJwksSource.MAX_BODY_BYTES / 10)) + "{}]}";
    handler.set(request -> request.response().end(huge));
    assertThatThrownBy(() -> source.fetch().await(60, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);

    handler.set(request -> {
      request.response().setChunked(true);
      for (int i = 0; i < 40; i++) request.response().write(Buffer.buffer(new byte[16 * 1024]));
      request.response().end();
    });
    assertThatThrownBy(() -> source.fetch().await(60, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void failsOnABodyThatIsNotAJwks() {
    handler.set(request -> request.response().end("<html>login</html>"));

    assertThatThrownBy(() -> source.fetch().await(60, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void failsWhenTheServerDoesNotAnswerInTime() throws Exception {
    handler.set(request -> { });
    HttpJwksSource impatient = source(Duration.ofMillis(300));
    try {
      long started = System.nanoTime();
      assertThatThrownBy(() -> impatient.fetch().await(60, TimeUnit.SECONDS))
          .isInstanceOf(java.util.concurrent.TimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    } finally {
      impatient.close().await(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void acceptsPlainHttpOnlyOnALoopbackHost() throws Exception {
    assertThatThrownBy(() -> new HttpJwksSource(vertx, URI.create("http://idp.example.com/certs"), null,
        Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HttpJwksSource(vertx, URI.create("ftp://127.0.0.1/certs"), null,
        Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    HttpJwksSource https = new HttpJwksSource(vertx, URI.create("https://idp.example.com/certs"), null,
        Duration.ofSeconds(1));
    assertThat(https.close().await(5, TimeUnit.SECONDS)).isNull();
  }

  private HttpJwksSource source(Duration timeout) {
    URI uri = URI.create("http://127.0.0.1:" + server.actualPort() + "/realms/corp/protocol/openid-connect/certs");
    return new HttpJwksSource(vertx, uri, null, timeout);
  }
}
