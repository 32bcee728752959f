package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.tls.DevCertificateWriter;
import io.gatehouse.tls.PemCertificates;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS as clients meet it through the whole gateway: ALPN, refused old protocol versions, a renewed certificate
 * picked up without a restart, and mutual TLS with the client's subject in the audit log.
 */
class TlsEndToEndIT {
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

  @Test void negotiatesHttp2ViaAlpnAndStillServesHttp11() throws Exception {
    try (SSLSocket socket = (SSLSocket) gateway.sslContext().getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
    }

    HttpResponse<String> h2 = gateway.http().send(
        HttpRequest.newBuilder(URI.create(gateway.url("/rest/h2"))).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> h1 = gateway.http1().send(
        HttpRequest.newBuilder(URI.create(gateway.url("/rest/h1"))).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(h2.statusCode()).isEqualTo(200);
    assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(h1.statusCode()).isEqualTo(200);
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactlyInAnyOrder("/rest/h2", "/rest/h1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.1", "TLSv1"})
  void refusesClientsOfferingOnlyOldTlsVersions(String protocol) throws Exception {
    double failedBefore = handshakes("failed");
    try (SSLSocket socket = (SSLSocket) gateway.sslContext().getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(5_000);
      socket.setEnabledProtocols(new String[] {protocol});

      assertThatThrownBy(socket::startHandshake)
          .isInstanceOf(SSLException.class)
          // The gateway's alert: the test JVM is allowed to offer TLS 1.0/1.1 (test-java.security).
          .hasMessageContaining("Received fatal alert");
    }
    assertThat(upstream.seen()).isEmpty();
    GatewayHarness.awaitTrue(() -> handshakes("failed") > failedBefore, Duration.ofSeconds(5),
        "gatehouse_tls_handshakes_total{result=\"failed\"} to count the refusal");
  }

  @Test void servesARenewedCertificateToTheNextConnectionWithoutRestart() throws Exception {
    Path certs = gateway.dir().resolve("certs");
    BigInteger before = servedSerial();
    double reloadsBefore = certReloads("ok");
    int port = gateway.port();

    // A renewal as an operator's tooling does it: a new pair from the same CA, written over the old files.
    Path renewal = Files.createTempDirectory("gatehouse-renewal");
    Files.copy(certs.resolve("ca.crt"), renewal.resolve("ca.crt"));
    Files.copy(certs.resolve("ca.key"), renewal.resolve("ca.key"));
    new DevCertificateWriter().writeServer(renewal);
    BigInteger renewed = leafSerial(renewal.resolve("server.crt"));
    assertThat(renewed).isNotEqualTo(before);
    replace(renewal.resolve("server.key"), certs.resolve("server.key"));
    replace(renewal.resolve("server.crt"), certs.resolve("server.crt"));

    GatewayHarness.awaitTrue(() -> renewed.equals(servedSerialOrNull()), Duration.ofSeconds(10),
        "the renewed certificate on a new connection");
    assertThat(gateway.port()).isEqualTo(port);
    GatewayHarness.awaitTrue(() -> certReloads("ok") == reloadsBefore + 1, Duration.ofSeconds(5),
        "gatehouse_cert_reloads_total{result=\"ok\"} to count the reload");
    HttpResponse<String> response = gateway.http1().send(
        HttpRequest.newBuilder(URI.create(gateway.url("/rest/after-renewal"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(HttpClient.Version.class)
  void mutualTlsAdmitsTheDevClientCertificateAndLogsItsSubject(HttpClient.Version version) throws Exception {
    try (TestUpstream mtlsUpstream = new TestUpstream(vertx);
        GatewayHarness mtls = GatewayHarness.startWithConfig(
            GatewayConfigYaml.of(mtlsUpstream.url()).withClientCa("certs/ca.crt").yaml())) {
      HttpClient client = HttpClient.newBuilder().version(version).sslContext(presentingClientCertificate(mtls))
          .connectTimeout(Duration.ofSeconds(5)).build();

      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create(mtls.url("/rest/me"))).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.version()).isEqualTo(version);
      JsonNode record = mtls.accessRecord(response.headers().firstValue("X-Request-Id").orElseThrow());
      assertThat(record.get("tls_client_subject").asText()).isEqualTo("CN=it-client,O=Gatehouse development");
      assertThat(mtlsUpstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/rest/me");
    }
  }

  @Test void mutualTlsRefusesAClientWithoutACertificate() throws Exception {
    try (TestUpstream mtlsUpstream = new TestUpstream(vertx);
        GatewayHarness mtls = GatewayHarness.startWithConfig(
            GatewayConfigYaml.of(mtlsUpstream.url()).withClientCa("certs/ca.crt").yaml())) {
      // With TLS 1.3 the client finishes its side of the handshake before the server's alert arrives, so the
      // refusal surfaces on the request; either way no response comes back.
      assertThatThrownBy(() -> mtls.http1().send(
              HttpRequest.newBuilder(URI.create(mtls.url("/rest/me"))).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
      try (SSLSocket socket = (SSLSocket) mtls.sslContext().getSocketFactory().createSocket("127.0.0.1", mtls.port())) {
        socket.setSoTimeout(5_000);
        socket.startHandshake();
        socket.getOutputStream().write("GET /rest/me HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes());
        assertThatThrownBy(() -> socket.getInputStream().read())
            .isInstanceOf(SSLException.class)
            .hasMessageContaining("certificate");
      }
      assertThat(mtlsUpstream.seen()).isEmpty();
      GatewayHarness.awaitTrue(() -> MetricsText.value(metricsOf(mtls), "gatehouse_tls_handshakes_total",
          Map.of("result", "failed")) >= 2, Duration.ofSeconds(5), "both refused handshakes counted");
    }
  }

  private static double handshakes(String result) {
    return MetricsText.value(metricsOf(gateway), "gatehouse_tls_handshakes_total", Map.of("result", result));
  }

  private static double certReloads(String result) {
    return MetricsText.value(metricsOf(gateway), "gatehouse_cert_reloads_total", Map.of("result", result));
  }

  private static String metricsOf(GatewayHarness harness) {
    try {
      return harness.metrics();
    } catch (Exception e) {
      return "";
    }
  }

  /** The serial of the leaf certificate the gateway presents to a new connection. */
  private static BigInteger servedSerial() throws IOException {
    try (SSLSocket socket = (SSLSocket) gateway.sslContext().getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(5_000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  private static BigInteger servedSerialOrNull() {
    try {
      return servedSerial();
    } catch (IOException e) {
      return null;
    }
  }

  private static BigInteger leafSerial(Path pem) throws Exception {
    return PemCertificates.parse(pem, Files.readAllBytes(pem)).get(0).getSerialNumber();
  }

  /** Replaces {@code target} in one step, as renewal tools do, so the gateway never reads half a file. */
  private static void replace(Path source, Path target) throws IOException {
    Path staged = target.resolveSibling(target.getFileName() + ".new");
    Files.copy(source, staged, StandardCopyOption.REPLACE_EXISTING);
    Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Trusts the dev CA and presents {@code certs/client.crt} with {@code certs/client.key} (PKCS#8 EC). */
  private static SSLContext presentingClientCertificate(GatewayHarness harness) throws Exception {
    Path certs = harness.dir().resolve("certs");
    List<X509Certificate> chain = PemCertificates.parse(certs.resolve("client.crt"),
        Files.readAllBytes(certs.resolve("client.crt")));
    String keyPem = Files.readString(certs.resolve("client.key"));
    byte[] der = Base64.getMimeDecoder().decode(keyPem
        .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").strip());
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));

    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("client", key, new char[0], chain.toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("dev-ca", PemCertificates.parse(certs.resolve("ca.crt"),
        Files.readAllBytes(certs.resolve("ca.crt"))).get(0));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }
}
