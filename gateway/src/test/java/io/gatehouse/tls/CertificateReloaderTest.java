package io.gatehouse.tls;

import static io.gatehouse.tls.TlsTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.TlsConfig;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateReloaderTest {
  private static final TestPki PKI = TestPki.create("Reload Test CA");
  private static final Duration DEADLINE = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  private Vertx vertx;
  private TlsTestServer server;
  private CertificateReloader reloader;
  private TestPki.Issued original;
  private final List<Boolean> outcomes = new CopyOnWriteArrayList<>();
  private SSLContext client;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    original = PKI.serverEc();
    Path[] files = PKI.write(dir, "server", original);
    TlsConfig config = new TlsConfig(files[0], files[1], "TLSv1.2", Optional.empty());
    ServerTlsOptions options = ServerTlsOptions.load(config);
    server = TlsTestServer.start(vertx, options);
    reloader = new CertificateReloader(vertx, server::updateSsl, config, options, Duration.ofMillis(100), outcomes::add).start();
    client = TestPki.clientContext(PKI.ca.certificate(), null);
  }

  @AfterEach
  void tearDown() {
    reloader.close();
    await(vertx.close());
  }

  @Test
  void servesReplacedCertificateToNextConnectionWithoutRestart() throws Exception {
    assertThat(serialOfNewConnection()).isEqualTo(original.serial());
    TestPki.Issued renewed = PKI.serverEc();

    PKI.write(dir, "server", renewed);

    awaitTrue(() -> serialOfNewConnection().equals(renewed.serial()));
    assertThat(outcomes).contains(true);
    assertThat(reloader.current().keyMaterial().serial()).isEqualTo(renewed.serial());
  }

  @Test
  void keepsOldCertificateWhenReplacementDoesNotMatchItsKey() throws Exception {
    TestPki.Issued renewed = PKI.serverEc();
    // The new certificate lands, but the key file still holds the old key: a half-finished renewal.
    TestPki.writeAtomically(dir.resolve("server.crt"), TestPki.chainPem(renewed.certificate(), PKI.ca.certificate()));

    awaitTrue(() -> outcomes.contains(false));
    assertThat(serialOfNewConnection()).isEqualTo(original.serial());
    assertThat(reloader.current().keyMaterial().serial()).isEqualTo(original.serial());
    int reportsAfterFirstRejection = outcomes.size();
    Thread.sleep(400);
    assertThat(outcomes).as("an unchanged bad pair is reported once").hasSize(reportsAfterFirstRejection);

    // Completing the renewal is picked up by the next check.
    TestPki.writeAtomically(dir.resolve("server.key"), TestPki.keyPem(renewed.keys().getPrivate(),
        TestPki.KeyFormat.PKCS8));
    awaitTrue(() -> serialOfNewConnection().equals(renewed.serial()));
    assertThat(outcomes).endsWith(true);
  }

  @Test
  void keepsOldCertificateWhenReplacementIsGarbage() throws Exception {
    Files.writeString(dir.resolve("server.crt"), "-----BEGIN CERTIFICATE-----\nnot base64 at all\n");

    awaitTrue(() -> outcomes.contains(false));
    assertThat(serialOfNewConnection()).isEqualTo(original.serial());
  }

  @Test
  void leavesOpenConnectionsOnTheirCertificate() throws Exception {
    try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(5000);
      socket.setEnabledProtocols(new String[] {"TLSv1.3"});
      assertThat(get(socket)).isEqualTo("ok");
      TestPki.Issued renewed = PKI.serverEc();

      PKI.write(dir, "server", renewed);
      awaitTrue(() -> serialOfNewConnection().equals(renewed.serial()));

      assertThat(get(socket)).isEqualTo("ok");
      BigInteger serialOnOpenConnection =
          ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
      assertThat(serialOnOpenConnection).isEqualTo(original.serial());
    }
  }

  @Test
  void reportsNothingWhileFilesAreUnchanged() throws Exception {
    assertThat(await(reloader.reloadIfChanged())).isFalse();
    assertThat(outcomes).isEmpty();
  }

  private BigInteger serialOfNewConnection() {
    try {
      return ServerTlsHandshakeTest.serialSeen(ServerTlsHandshakeTest.handshake(server.actualPort(), client,
          new String[] {"TLSv1.3", "TLSv1.2"}, null));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A keep-alive HTTP/1.1 request on an open connection; returns the body. */
  private static String get(SSLSocket socket) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    String status = in.readLine();
    assertThat(status).isEqualTo("HTTP/1.1 200 OK");
    int length = 0;
    for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
      if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
    }
    char[] body = new char[length];
    for (int read = 0; read < length; ) read += in.read(body, read, length - read);
    return new String(body);
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) throw new AssertionError("condition not met within " + DEADLINE);
      Thread.sleep(50);
    }
  }
}
