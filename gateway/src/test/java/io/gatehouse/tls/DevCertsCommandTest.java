package io.gatehouse.tls;

import static io.gatehouse.tls.TlsTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.cli.DevCertsCommand;
import io.gatehouse.config.TlsConfig;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DevCertsCommandTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir
  Path dir;

  @Test
  void writesCaAndServerCertificateThatVerify() throws Exception {
    Run run = run("--out", dir.toString());

    assertThat(run.exitCode).isZero();
    assertThat(run.stdout).contains("wrote " + dir.resolve("ca.crt"), "wrote " + dir.resolve("ca.key"),
        "wrote " + dir.resolve("server.crt"), "wrote " + dir.resolve("server.key"), "curl --cacert");
    List<X509Certificate> chain = PemCertificates.parse(dir.resolve("server.crt"),
        Files.readAllBytes(dir.resolve("server.crt")));
    X509Certificate ca = PemCertificates.parse(dir, Files.readAllBytes(dir.resolve("ca.crt"))).get(0);
    assertThat(chain).hasSize(2);
    assertThat(chain.get(1)).isEqualTo(ca);
    X509Certificate leaf = chain.get(0);
    leaf.verify(ca.getPublicKey());
    ca.verify(ca.getPublicKey());

    assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
        .isLessThanOrEqualTo(Duration.ofDays(825));
    assertThat(leaf.getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(((ECPublicKey) leaf.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);

    // Both keys parse, are PKCS#8 and match their certificates.
    assertThat(PemKeyMaterial.read(dir.resolve("server.crt"), dir.resolve("server.key")).serial())
        .isEqualTo(leaf.getSerialNumber());
    assertThat(PemKeyMaterial.read(dir.resolve("ca.crt"), dir.resolve("ca.key")).leaf()).isEqualTo(ca);
    assertThat(Files.readString(dir.resolve("server.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(mode("ca.key")).isEqualTo("rw-------");
    assertThat(mode("server.key")).isEqualTo("rw-------");
    assertThat(mode("server.crt")).isEqualTo("rw-r--r--");
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("ca.crt", "ca.key", "server.crt", "server.key");
  }

  @Test
  void reusesExistingCaAndIssuesNewServerCertificate() throws Exception {
    run("--out", dir.toString());
    byte[] caBefore = Files.readAllBytes(dir.resolve("ca.crt"));
    byte[] caKeyBefore = Files.readAllBytes(dir.resolve("ca.key"));
    X509Certificate firstServer = leaf();

    Run second = run("--out", dir.toString());

    assertThat(second.exitCode).isZero();
    assertThat(second.stdout).contains("reused CA " + dir.resolve("ca.crt"))
        .doesNotContain("wrote " + dir.resolve("ca.key"));
    assertThat(Files.readAllBytes(dir.resolve("ca.crt"))).isEqualTo(caBefore);
    assertThat(Files.readAllBytes(dir.resolve("ca.key"))).isEqualTo(caKeyBefore);
    X509Certificate secondServer = leaf();
    assertThat(secondServer.getSerialNumber()).isNotEqualTo(firstServer.getSerialNumber());
    secondServer.verify(PemCertificates.parse(dir, caBefore).get(0).getPublicKey());
  }

  @Test
  void writesClientCertificateForMutualTls() throws Exception {
    Run run = run("--out", dir.toString(), "--client");

    assertThat(run.exitCode).isZero();
    PemKeyMaterial client = PemKeyMaterial.read(dir.resolve("client.crt"), dir.resolve("client.key"));
    assertThat(client.subject()).isEqualTo("CN=dev-client,O=Gatehouse development");
    assertThat(client.leaf().getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(client.leaf().getSubjectAlternativeNames()).isNull();
    client.leaf().verify(client.chain().get(1).getPublicKey());
    assertThat(mode("client.key")).isEqualTo("rw-------");
  }

  @Test
  void servesHttpsWithTheDevCertificateToAClientTrustingTheCa() throws Exception {
    run("--out", dir.toString());
    X509Certificate ca = PemCertificates.parse(dir, Files.readAllBytes(dir.resolve("ca.crt"))).get(0);
    Vertx vertx = Vertx.vertx();
    try {
      TlsTestServer server = TlsTestServer.start(vertx, ServerTlsOptions.load(
          new TlsConfig(dir.resolve("server.crt"), dir.resolve("server.key"), "TLSv1.2", Optional.empty())));
      // Hostname verification is on in HttpClient: this also checks the 127.0.0.1 SAN.
      HttpClient client = HttpClient.newBuilder().sslContext(TestPki.clientContext(ca, null)).build();
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.actualPort() + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo("ok");
    } finally {
      await(vertx.close());
    }
  }

  private X509Certificate leaf() throws Exception {
    return PemCertificates.parse(dir, Files.readAllBytes(dir.resolve("server.crt"))).get(0);
  }

  private String mode(String name) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name)));
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new DevCertsCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
