package io.gatehouse.tls;

import static io.gatehouse.tls.TlsTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.config.TlsConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code client_ca} set: the handshake requires a client certificate from that CA, and its subject is exposed. */
class MutualTlsTest {
  private static final TestPki SERVER_PKI = TestPki.create("Server CA");
  private static final TestPki CLIENT_PKI = TestPki.create("Client CA");
  private static final TestPki STRANGER_PKI = TestPki.create("Stranger CA");

  @TempDir
  Path dir;

  private Vertx vertx;
  private TlsConfig config;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    Path[] files = SERVER_PKI.write(dir, "server", SERVER_PKI.serverEc());
    config = new TlsConfig(files[0], files[1], "TLSv1.2", Optional.of(CLIENT_PKI.writeCa(dir, "client-ca.crt")));
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  @Test
  void refusesClientWithoutCertificateWithOpenSsl() throws Exception {
    assertRefused(TlsEngine.OPENSSL, null);
  }

  @Test
  void refusesClientWithoutCertificateWithJdk() throws Exception {
    assertRefused(TlsEngine.JDK, null);
  }

  @Test
  void refusesCertificateFromAnotherCaWithOpenSsl() throws Exception {
    assertRefused(TlsEngine.OPENSSL, STRANGER_PKI.client("CN=mallory"));
  }

  @Test
  void refusesCertificateFromAnotherCaWithJdk() throws Exception {
    assertRefused(TlsEngine.JDK, STRANGER_PKI.client("CN=mallory"));
  }

  @Test
  void acceptsCaIssuedCertificateAndExposesItsSubjectWithOpenSsl() throws Exception {
    assertAcceptedWithSubject(TlsEngine.OPENSSL, HttpClient.Version.HTTP_1_1);
  }

  @Test
  void acceptsCaIssuedCertificateAndExposesItsSubjectWithJdk() throws Exception {
    assertAcceptedWithSubject(TlsEngine.JDK, HttpClient.Version.HTTP_1_1);
  }

  @Test
  void exposesSubjectOverHttp2() throws Exception {
    assertAcceptedWithSubject(TlsEngine.preferred(), HttpClient.Version.HTTP_2);
  }

  @Test
  void requiresClientCertificateAlsoAfterReloadOptions() throws Exception {
    ServerTlsOptions options = ServerTlsOptions.load(config);
    assertThat(options.requiresClientCertificate()).isTrue();
    // The context a reload installs: every engine it makes demands a certificate.
    javax.net.ssl.SSLEngine engine = options.serverContext().newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT);
    assertThat(engine.getNeedClientAuth()).isTrue();
    io.netty.util.ReferenceCountUtil.release(engine);
  }

  private void assertAcceptedWithSubject(TlsEngine engine, HttpClient.Version version) throws Exception {
    TlsTestServer server = TlsTestServer.start(vertx, ServerTlsOptions.load(config, engine));
    TestPki.Issued alice = CLIENT_PKI.client("CN=alice,OU=Claims,O=Example Health");

    HttpResponse<String> response = send(server, alice, version);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(version);
    // The server's handler answers with ClientCertificates.subjectOf(request).
    assertThat(response.body()).isEqualTo("CN=alice,OU=Claims,O=Example Health");
  }

  private void assertRefused(TlsEngine engine, TestPki.Issued clientCertificate) throws Exception {
    TlsTestServer server = TlsTestServer.start(vertx, ServerTlsOptions.load(config, engine));
    // With TLS 1.3 the client may finish its side of the handshake before the server's alert arrives, so the
    // refusal can surface on the request rather than the handshake; either way no response comes back.
    assertThatThrownBy(() -> send(server, clientCertificate, HttpClient.Version.HTTP_1_1))
        .isInstanceOf(IOException.class);
  }

  private HttpResponse<String> send(TlsTestServer server, TestPki.Issued clientCertificate, HttpClient.Version version)
      throws Exception {
    SSLContext context = TestPki.clientContext(SERVER_PKI.ca.certificate(), clientCertificate);
    HttpClient client = HttpClient.newBuilder().version(version).sslContext(context)
        .connectTimeout(Duration.ofSeconds(5)).build();
    return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.actualPort() + "/"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
