package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.tls.AuditKeyWriter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line of CONTRACT.md, run as operators run it: a child JVM per command, asserting exit status and
 * what lands on stdout and stderr.
 */
class CommandLineIT {
  private static final String UPSTREAM = "http://127.0.0.1:5678";
  /** {@code FILE:LINE:COL: error: …}, as check and run print a problem. */
  private static final String ERROR_LINE = ":\\d+:\\d+: error: ";

  @TempDir static Path dir;

  @BeforeAll static void certificatesAndKey() throws Exception {
    GatewayProcess.writeDevCerts(dir);
    new AuditKeyWriter().write(dir.resolve("audit"));
  }

  @Test void checkExitsZeroAndPrintsOkForAValidFile() throws Exception {
    Path file = write("valid.yaml", validYaml());

    var result = GatewayProcess.cli(dir, Map.of(), "check", "--config", file.toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).doesNotContain("error:").doesNotContain("warning:").contains(file + ": ok");
    assertThat(result.stderr()).doesNotContain("error");
  }

  @Test void checkExitsZeroOnWarningsAndOneWithStrict() throws Exception {
    // Without audit.signing_key the file is valid but warned about (unsigned checkpoints).
    Path file = write("warnings.yaml", GatewayHarness.configYaml(UPSTREAM, GatewayHarness.DEFAULT_ROUTES, ""));

    var lenient = GatewayProcess.cli(dir, Map.of(), "check", "--config", file.toString());
    var strict = GatewayProcess.cli(dir, Map.of(), "check", "--strict", "--config", file.toString());

    assertThat(lenient.exitCode()).as(lenient.toString()).isZero();
    assertThat(lenient.stdout()).containsPattern(Pattern.quote(file.toString()) + ":\\d+:\\d+: warning: audit.signing_key")
        .doesNotContain("error:");
    assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(1);
    assertThat(strict.stdout()).contains("warning: audit.signing_key").doesNotContain("error:");
  }

  @Test void checkExitsTwoAndPrintsEveryErrorWithItsPosition() throws Exception {
    // One bad CIDR (in the first route that has an allow list) and one unknown key under server.
    String yaml = validYaml().replaceFirst(Pattern.quote("allow: [\"127.0.0.0/8\", \"::1/128\"]"), "allow: [\"10.0/8\"]")
        .replace("  timeouts:", "  colour: \"blue\"\n  timeouts:");
    assertThat(yaml).contains("10.0/8").contains("colour");
    Path file = write("two-errors.yaml", yaml);

    var result = GatewayProcess.cli(dir, Map.of(), "check", "--config", file.toString());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    List<String> errors = result.stdout().lines().filter(l -> l.contains(": error: ")).toList();
    assertThat(errors).hasSize(2);
    assertThat(errors).anySatisfy(l -> assertThat(l)
        .containsPattern("^" + Pattern.quote(file.toString()) + ERROR_LINE + "server\\.colour"));
    assertThat(errors).anySatisfy(l -> assertThat(l)
        .containsPattern("^" + Pattern.quote(file.toString()) + ERROR_LINE + "routes\\[\\d\\]\\.allow\\[0\\]: .*10\\.0/8"));
  }

  @Test void runExitsTwoOnAnInvalidFileWithProblemsOnStderrAndListensNowhere() throws Exception {
    var ports = new GatewayProcess.Ports(GatewayProcess.freePort(), GatewayProcess.freePort());
    String yaml = GatewayProcess.configYaml(UPSTREAM, GatewayHarness.DEFAULT_ROUTES.replace("127.0.0.0/8", "127.0.0.0/33"),
        "", ports);
    Path file = write("run-invalid.yaml", yaml);

    var result = GatewayProcess.cli(dir, Map.of(), "run", "--config", file.toString());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.stderr()).containsPattern(Pattern.quote(file.toString()) + ERROR_LINE + ".*127\\.0\\.0\\.0/33");
    assertThat(result.stderr()).doesNotContain("listening on").doesNotContain("admin listener on");
    assertRefused(ports.listen());
    assertRefused(ports.admin());
  }

  @Test void checkNeverPrintsSecretValuesEvenNextToWrongValues() throws Exception {
    String oidcSecret = "oidc-SECRET-value-4b1d2c3e9f8a7d6c";
    String cookieSecret = "short-COOKIE-s3cret";
    String webhookSecret = "whk-SECRET-0a9b8c7d6e5f";
    String sso = """
        sso:
          issuer: "https://idp.example.com/realms/corp"
          client_id: "gatehouse"
          client_secret: "${env:GH_IT_OIDC_SECRET}"
          cookie_secret: "${env:GH_IT_COOKIE_SECRET}"
          scopes: ["profile", "${env:GH_IT_OIDC_SECRET}"]
          session: { idle_timeout: "${env:GH_IT_OIDC_SECRET}" }
        webhooks:
          - path: "/webhook/claims"
            scheme: "${env:GH_IT_WEBHOOK_SECRET}"
            secrets: ["${env:GH_IT_WEBHOOK_SECRET}", "${env:GH_IT_MISSING}"]
        """;
    Path file = write("secrets.yaml", validYaml() + sso);
    Map<String, String> env = Map.of(
        "GH_IT_OIDC_SECRET", oidcSecret, "GH_IT_COOKIE_SECRET", cookieSecret, "GH_IT_WEBHOOK_SECRET", webhookSecret);

    var result = GatewayProcess.cli(dir, env, "check", "--config", file.toString());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    // The wrong values are reported by their reference, never by what the reference resolved to.
    assertThat(result.stdout()).contains("error: sso.cookie_secret").contains("error: sso.scopes")
        .contains("error: sso.session.idle_timeout: \"${env:GH_IT_OIDC_SECRET}\"")
        .contains("error: webhooks[0].scheme: \"${env:GH_IT_WEBHOOK_SECRET}\"").contains("GH_IT_MISSING");
    for (String secret : List.of(oidcSecret, cookieSecret, webhookSecret)) {
      assertThat(result.stdout()).doesNotContain(secret);
      assertThat(result.stderr()).doesNotContain(secret);
    }
  }

  @Test void helpAndVersionExitZero() throws Exception {
    var help = GatewayProcess.cli(dir, Map.of(), "--help");
    var version = GatewayProcess.cli(dir, Map.of(), "--version");

    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.stdout()).contains("Usage: gatehouse").contains("run").contains("check").contains("dev-certs")
        .contains("keygen");
    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(version.stdout()).startsWith("gatehouse ");
  }

  @Test void unknownCommandExitsNonZero() throws Exception {
    var result = GatewayProcess.cli(dir, Map.of(), "frobnicate");

    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.stderr()).contains("frobnicate");
  }

  @Test void devCertsWritesCaAndServerCertificateAndExitsZero() throws Exception {
    Path out = dir.resolve("dev-certs-out");

    var result = GatewayProcess.cli(dir, Map.of(), "dev-certs", "--out", out.toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    for (String name : List.of("ca.crt", "ca.key", "server.crt", "server.key")) {
      assertThat(out.resolve(name)).isRegularFile().isNotEmptyFile();
    }
    assertThat(Files.readString(out.resolve("server.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.getPosixFilePermissions(out.resolve("server.key")))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
  }

  @Test void keygenWritesPrivateKeyWithMode0600AndPublicKey() throws Exception {
    Path prefix = dir.resolve("keygen-out/audit");
    Files.createDirectories(prefix.getParent());

    var result = GatewayProcess.cli(dir, Map.of(), "keygen", "--out", prefix.toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    Path key = Path.of(prefix + ".key");
    Path pub = Path.of(prefix + ".pub");
    assertThat(Files.getPosixFilePermissions(key))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----");
  }

  /** The harness config with a signing key: valid and without warnings. */
  private static String validYaml() {
    return GatewayHarness.configYaml(UPSTREAM, GatewayHarness.DEFAULT_ROUTES, "") + "  signing_key: \"audit.key\"\n";
  }

  private static Path write(String name, String yaml) throws IOException {
    Path file = dir.resolve(name).toAbsolutePath();
    Files.writeString(file, yaml);
    return file;
  }

  private static void assertRefused(int port) {
    assertThatThrownBy(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      }
    }).as("connect to port " + port).isInstanceOf(ConnectException.class);
  }
}
