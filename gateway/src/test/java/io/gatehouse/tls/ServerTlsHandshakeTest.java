package io.gatehouse.tls;

import static io.gatehouse.tls.TlsTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.config.TlsConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real handshakes against a Vert.x server configured by {@link ServerTlsOptions}, with each engine forced.
 * A JDK client whose TLS 1.0/1.1 are re-enabled by src/test/resources/test-java.security proves the server,
 * not the client, refuses old protocols.
 */
class ServerTlsHandshakeTest {
  private static final TestPki PKI = TestPki.create("Handshake Test CA");

  @TempDir
  Path dir;

  private Vertx vertx;
  private TestPki.Issued leaf;
  private Path[] files;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    leaf = PKI.serverEc();
    files = PKI.write(dir, "server", leaf);
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  @Test
  void openSslEngineIsAvailableOnThisMachineAndPreferred() {
    assertThat(TlsEngine.OPENSSL.isAvailable()).isTrue();
    assertThat(TlsEngine.preferred()).isEqualTo(TlsEngine.OPENSSL);
  }

  @Test
  void testClientCanOfferTls11SoRefusalsProveTheServerRefuses() {
    assertThat(Security.getProperty("jdk.tls.disabledAlgorithms")).doesNotContain("TLSv1.1").contains("SSLv3");
  }

  @Test
  void negotiatesTls13WithOpenSsl() throws Exception {
    assertNegotiatesTls13(TlsEngine.OPENSSL);
  }

  @Test
  void negotiatesTls13WithJdk() throws Exception {
    assertNegotiatesTls13(TlsEngine.JDK);
  }

  @Test
  void negotiatesTls12WithAeadCipherWithOpenSsl() throws Exception {
    assertNegotiatesTls12Aead(TlsEngine.OPENSSL);
  }

  @Test
  void negotiatesTls12WithAeadCipherWithJdk() throws Exception {
    assertNegotiatesTls12Aead(TlsEngine.JDK);
  }

  @Test
  void refusesTls11WithOpenSsl() {
    assertRefuses(TlsEngine.OPENSSL, "TLSv1.2", new String[] {"TLSv1.1"}, null);
  }

  @Test
  void refusesTls11WithJdk() {
    assertRefuses(TlsEngine.JDK, "TLSv1.2", new String[] {"TLSv1.1"}, null);
  }

  @Test
  void refusesTls10WithJdk() {
    assertRefuses(TlsEngine.JDK, "TLSv1.2", new String[] {"TLSv1"}, null);
  }

  @Test
  void refusesCbcOnlyTls12ClientWithOpenSsl() {
    assertRefuses(TlsEngine.OPENSSL, "TLSv1.2", new String[] {"TLSv1.2"}, CBC_ONLY);
  }

  @Test
  void refusesCbcOnlyTls12ClientWithJdk() {
    assertRefuses(TlsEngine.JDK, "TLSv1.2", new String[] {"TLSv1.2"}, CBC_ONLY);
  }

  @Test
  void refusesTls12WhenMinVersionIsTls13WithOpenSsl() throws Exception {
    assertRefuses(TlsEngine.OPENSSL, "TLSv1.3", new String[] {"TLSv1.2"}, null);
    assertThat(handshake(start(TlsEngine.OPENSSL, "TLSv1.3"), "TLSv1.3", null).getProtocol()).isEqualTo("TLSv1.3");
  }

  @Test
  void refusesTls12WhenMinVersionIsTls13WithJdk() throws Exception {
    assertRefuses(TlsEngine.JDK, "TLSv1.3", new String[] {"TLSv1.2"}, null);
    assertThat(handshake(start(TlsEngine.JDK, "TLSv1.3"), "TLSv1.3", null).getProtocol()).isEqualTo("TLSv1.3");
  }

  @Test
  void negotiatesHttp2ViaAlpnWithOpenSsl() throws Exception {
    assertServesHttp2(TlsEngine.OPENSSL);
  }

  @Test
  void negotiatesHttp2ViaAlpnWithJdk() throws Exception {
    assertServesHttp2(TlsEngine.JDK);
  }

  @Test
  void servesHttp11ToClientsWithoutHttp2() throws Exception {
    TlsTestServer server = start(TlsEngine.preferred(), "TLSv1.2");
    HttpResponse<String> response = httpClient(HttpClient.Version.HTTP_1_1).send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.actualPort() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.body()).isEqualTo("ok");
  }

  @Test
  void refusesUnknownMinVersion() {
    TlsConfig config = new TlsConfig(files[0], files[1], "TLSv1.1", Optional.empty());
    assertThatThrownBy(() -> ServerTlsOptions.load(config))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining("\"TLSv1.1\" is not supported (expected TLSv1.2 or TLSv1.3)");
  }

  @Test
  void enablesOnlyTls12AndTls13AndAeadSuites() throws Exception {
    for (TlsEngine engine : TlsEngine.values()) {
      ServerTlsOptions options = ServerTlsOptions.load(config("TLSv1.2"), engine);
      assertThat(options.protocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
      assertThat(options.cipherSuites()).allSatisfy(suite -> assertThat(suite).containsAnyOf("GCM", "CHACHA20"));
      io.netty.handler.ssl.SslContext context = options.serverContext();
      assertThat(context.cipherSuites()).allSatisfy(suite -> assertThat(suite).containsAnyOf("GCM", "CHACHA20"));
      assertThat(context.applicationProtocolNegotiator().protocols()).containsExactly("h2", "http/1.1");
    }
    assertThat(ServerTlsOptions.load(config("TLSv1.3")).protocols()).containsExactly("TLSv1.3");
  }

  private static final String[] CBC_ONLY = {
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"};

  private void assertNegotiatesTls13(TlsEngine engine) throws Exception {
    SSLSession session = handshake(start(engine, "TLSv1.2"), "TLSv1.3", null);
    assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
    assertThat(session.getCipherSuite()).containsAnyOf("GCM", "CHACHA20");
    assertThat(serialSeen(session)).isEqualTo(leaf.serial());
  }

  private void assertNegotiatesTls12Aead(TlsEngine engine) throws Exception {
    SSLSession session = handshake(start(engine, "TLSv1.2"), "TLSv1.2", null);
    assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
    assertThat(session.getCipherSuite()).startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "CHACHA20_POLY1305");
  }

  private void assertRefuses(TlsEngine engine, String minVersion, String[] clientProtocols, String[] clientSuites) {
    TlsTestServer server = start(engine, minVersion);
    assertThatThrownBy(() -> handshake(server, clientProtocols, clientSuites))
        .isInstanceOf(SSLException.class)
        // The server's alert, not a client-side refusal to offer the protocol.
        .hasMessageContaining("Received fatal alert");
  }

  private void assertServesHttp2(TlsEngine engine) throws Exception {
    TlsTestServer server = start(engine, "TLSv1.2");
    HttpResponse<String> response = httpClient(HttpClient.Version.HTTP_2).send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.actualPort() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
  }

  private HttpClient httpClient(HttpClient.Version version) throws Exception {
    return HttpClient.newBuilder().version(version).sslContext(TestPki.clientContext(PKI.ca.certificate(), null))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private TlsConfig config(String minVersion) {
    return new TlsConfig(files[0], files[1], minVersion, Optional.empty());
  }

  private TlsTestServer start(TlsEngine engine, String minVersion) {
    try {
      return TlsTestServer.start(vertx, ServerTlsOptions.load(config(minVersion), engine));
    } catch (TlsMaterialException e) {
      throw new AssertionError(e);
    }
  }

  static java.math.BigInteger serialSeen(SSLSession session) throws Exception {
    return ((java.security.cert.X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
  }

  private static SSLSession handshake(TlsTestServer server, String protocol, String[] suites) throws Exception {
    return handshake(server, new String[] {protocol}, suites);
  }

  private static SSLSession handshake(TlsTestServer server, String[] protocols, String[] suites) throws Exception {
    return handshake(server.actualPort(), TestPki.clientContext(PKI.ca.certificate(), null), protocols, suites);
  }

  static SSLSession handshake(int port, SSLContext context, String[] protocols, String[] suites) throws Exception {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.setEnabledProtocols(protocols);
      if (suites != null) socket.setEnabledCipherSuites(suites);
      socket.startHandshake();
      return socket.getSession();
    }
  }
}
