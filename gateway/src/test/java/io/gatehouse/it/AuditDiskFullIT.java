package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.tls.AuditKeyWriter;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk under the audit log: a 1 MiB tmpfs mounted for the test (the test command runs as root on these
 * machines; without root it fails and says so). While the log cannot be written, a fail-closed route answers 503
 * {@code audit_unavailable} with Retry-After and never reaches n8n, a fail-open route serves, {@code /readyz} is
 * unready; once space is freed everything recovers without a restart, and the log still verifies.
 */
class AuditDiskFullIT {
  private static final String ROUTES = """
      routes:
        - name: "webhooks"
          match: ["/webhook/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
        - name: "open"
          match: ["/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          on_audit_failure: "fail-open"
      """;

  private static Vertx vertx;
  private static TestUpstream upstream;

  @TempDir Path dir;

  @BeforeAll static void startUpstream() {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
  }

  @AfterAll static void stopUpstream() {
    upstream.close();
    vertx.close().await();
  }

  @Test void aFullDiskRefusesFailClosedRoutesServesFailOpenOnesAndRecoversWhenSpaceReturns() throws Exception {
    Path disk = dir.resolve("disk");
    Files.createDirectories(disk);
    mount(disk);
    try {
      GatewayProcess.writeDevCerts(dir);
      new AuditKeyWriter().write(dir.resolve("audit-key"));
      Path audit = disk.resolve("audit");
      GatewayProcess.ConfigForPorts config = ports -> GatewayProcess.configYaml(upstream.url(), ROUTES, "", ports)
          .replace("dir: \"audit\"", "dir: \"" + audit + "\"")
          + "  signing_key: \"audit-key.key\"\n  checkpoint_every: \"200ms\"\n";
      try (GatewayProcess gateway = GatewayProcess.run(dir, config, Map.of())) {
        HttpClient client = client();
        assertThat(get(client, gateway, "/webhook/a").statusCode()).isEqualTo(200);

        // Fill the disk, then ask until the log fails.
        Path filler = disk.resolve("filler");
        fill(filler);
        GatewayHarness.awaitTrue(() -> {
          try {
            get(client, gateway, "/open/x");
          } catch (Exception e) {
            return false;
          }
          return gateway.adminStatus("/readyz") == 503;
        }, Duration.ofSeconds(20), "/readyz to turn unready on a full disk");
        upstream.clear();
        HttpResponse<String> refused = get(client, gateway, "/webhook/b");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"error\":\"audit_unavailable\"");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(upstream.seen()).noneMatch(s -> s.uri().startsWith("/webhook/b"));
        assertThat(get(client, gateway, "/open/y").statusCode()).as("fail-open serves").isEqualTo(200);
        String metrics = gateway.metrics();
        assertThat(GatewayProcess.metricValue(metrics, "gatehouse_audit_writable")).isZero();
        assertThat(GatewayProcess.metricValue(metrics, "gatehouse_audit_write_errors_total")).isPositive();

        Files.delete(filler);
        GatewayHarness.awaitTrue(() -> gateway.adminStatus("/readyz") == 200, Duration.ofSeconds(20),
            "/readyz to be ready again once space is free");
        assertThat(get(client, gateway, "/webhook/c").statusCode()).isEqualTo(200);
        assertThat(GatewayProcess.metricValue(gateway.metrics(), "gatehouse_audit_writable")).isEqualTo(1);
        gateway.signal("TERM");
        assertThat(gateway.waitFor(Duration.ofSeconds(20))).isTrue();
      }
      var verified = GatewayProcess.cli(dir, Map.of(), "verify-log", "--dir", audit.toString(), "--public-key",
          dir.resolve("audit-key.pub").toString());
      assertThat(verified.exitCode()).as(verified.toString()).isZero();
      assertThat(verified.stdout()).contains("OK ");
    } finally {
      umount(disk);
    }
  }

  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (var out = Files.newOutputStream(filler)) {
      while (true) out.write(block);
    } catch (IOException full) {
      // No space left on device: that was the point.
    }
  }

  private static void mount(Path at) throws Exception {
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", at.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0)
        .as("this test mounts a 1 MiB tmpfs to fill a real disk, which needs root (the test command runs as root on"
            + " these machines): mount said: " + out).isTrue();
  }

  private static void umount(Path at) throws Exception {
    new ProcessBuilder("umount", "-l", at.toString()).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
  }

  private HttpClient client() throws Exception {
    SSLContext trust = GatewayHarness.trustingDevCa(dir.resolve("certs/ca.crt"));
    return HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1).build();
  }

  private static HttpResponse<String> get(HttpClient client, GatewayProcess gateway, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(gateway.url(path))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
