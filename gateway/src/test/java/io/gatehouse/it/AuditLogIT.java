package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.audit.log.LogEntries;
import io.gatehouse.audit.log.SegmentName;
import io.gatehouse.audit.log.Segments;
import io.gatehouse.audit.log.Witness;
import io.gatehouse.tls.AuditKeyWriter;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signed audit log of a real gateway process: killed with SIGKILL under load, the log verifies up to its last
 * checkpoint; restarted, the gateway continues the same tree (recording the unsealed tail it found) and the log
 * verifies whole; proofs printed by {@code audit prove} check out with {@code verify-log --proof}; an edit is found.
 */
class AuditLogIT {
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

  @Test void survivesKillNineUnderLoadContinuesTheTreeAndProvesItsEntries() throws Exception {
    GatewayProcess.writeDevCerts(dir);
    new AuditKeyWriter().write(dir.resolve("audit-key"));
    GatewayProcess.ConfigForPorts config = ports -> GatewayProcess.configYaml(upstream.url(),
        GatewayHarness.DEFAULT_ROUTES, "", ports)
        + "  signing_key: \"audit-key.key\"\n  checkpoint_every: \"200ms\"\n  replica: \"it-1\"\n"
        + "  witness: { dir: \"witness\" }\n";
    Path audit = dir.resolve("audit");
    String pub = dir.resolve("audit-key.pub").toString();

    int sentBeforeKill;
    try (GatewayProcess gateway = GatewayProcess.run(dir, config, Map.of())) {
      assertThat(gateway.adminStatus("/readyz")).isEqualTo(200);
      sentBeforeKill = load(gateway, Duration.ofSeconds(2), true);
      gateway.process().destroyForcibly().waitFor(); // SIGKILL, with requests in flight
    }
    var afterKill = verify("--dir", audit.toString(), "--public-key", pub, "--witness", dir.resolve("witness").toString());
    assertThat(afterKill.exitCode()).as(afterKill.toString()).isZero();
    assertThat(afterKill.stdout()).containsPattern("OK \\d+ entries, \\d+ checkpoints");

    try (GatewayProcess gateway = GatewayProcess.run(dir, config, Map.of())) {
      load(gateway, Duration.ofMillis(500), false);
      GatewayHarness.awaitTrue(() -> gateway.adminStatus("/checkpoint") == 200, Duration.ofSeconds(5), "a checkpoint");
      assertThat(gateway.adminBody("/checkpoint")).startsWith("localhost/audit/it-1\n").contains("\n\n\u2014 localhost/audit/it-1 ");
      gateway.signal("TERM");
      assertThat(gateway.waitFor(Duration.ofSeconds(20))).isTrue();
    }
    var whole = verify("--dir", audit.toString(), "--public-key", pub, "--witness", dir.resolve("witness").toString());
    assertThat(whole.exitCode()).as(whole.toString()).isZero();
    assertThat(whole.stdout()).doesNotContain("UNSEALED").containsPattern("OK \\d+ entries");

    List<JsonNode> entries = LogEntries.all(audit);
    for (int i = 0; i < entries.size(); i++) assertThat(entries.get(i).get("seq").asLong()).isEqualTo(i);
    List<JsonNode> starts = entries.stream().filter(e -> e.get("kind").asText().equals("start")).toList();
    assertThat(starts).hasSize(2);
    assertThat(entries).filteredOn(e -> e.get("kind").asText().equals("config")).allSatisfy(e ->
        assertThat(e.get("sha256").asText()).hasSize(64));
    long requests = entries.stream().filter(e -> e.get("kind").asText().equals("request")).count();
    assertThat(requests).isGreaterThan(sentBeforeKill / 2);
    assertThat(entries.get(entries.size() - 1).get("kind").asText()).isEqualTo("stop");

    // An inclusion proof of an early entry, and a consistency proof from the first witnessed checkpoint to the last.
    var prove = GatewayProcess.cli(dir, Map.of(), "audit", "prove", "--dir", audit.toString(), "--seq", "3");
    assertThat(prove.exitCode()).as(prove.toString()).isZero();
    Path inclusion = dir.resolve("inclusion.json");
    Files.writeString(inclusion, prove.stdout());
    List<String> witnessed = Files.readAllLines(dir.resolve("witness").resolve(Witness.fileName("localhost/audit/it-1")),
        StandardCharsets.UTF_8);
    Path first = dir.resolve("first.checkpoint");
    Path last = dir.resolve("last.checkpoint");
    Files.writeString(first, witnessed.get(0));
    Files.writeString(last, witnessed.get(witnessed.size() - 1));
    var consistent = GatewayProcess.cli(dir, Map.of(), "audit", "prove", "--dir", audit.toString(), "--consistency",
        first.toString(), last.toString());
    assertThat(consistent.exitCode()).as(consistent.toString()).isZero();
    Path consistency = dir.resolve("consistency.json");
    Files.writeString(consistency, consistent.stdout());
    var proofs = verify("--proof", inclusion.toString(), "--proof", consistency.toString(), "--public-key", pub);
    assertThat(proofs.exitCode()).as(proofs.toString()).isZero();
    assertThat(proofs.stdout()).contains("PROOF_OK " + inclusion).contains("PROOF_OK " + consistency);
    var absent = GatewayProcess.cli(dir, Map.of(), "audit", "prove", "--dir", audit.toString(), "--seq", "99999999");
    assertThat(absent.exitCode()).isEqualTo(1);

    // One changed byte in an entry: found, with its file and line, and the exit status says so.
    List<SegmentName> segments = Segments.list(audit);
    Path open = audit.resolve(segments.get(segments.size() - 1).fileName());
    String text = Files.readString(open);
    Files.writeString(open, text.replaceFirst("\"status\":200", "\"status\":204"));
    var tampered = verify("--dir", audit.toString(), "--public-key", pub);
    assertThat(tampered.exitCode()).as(tampered.toString()).isEqualTo(1);
    assertThat(tampered.stdout()).containsPattern("(?m)^MODIFIED " + java.util.regex.Pattern.quote(open.toString())
        + ":\\d+ ");
    var unreadable = verify("--dir", dir.resolve("no-such-dir").toString(), "--public-key", pub);
    assertThat(unreadable.exitCode()).as(unreadable.toString()).isEqualTo(2);
  }

  private GatewayProcess.Result verify(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("verify-log"));
    all.addAll(List.of(args));
    return GatewayProcess.cli(dir, Map.of(), all.toArray(String[]::new));
  }

  /** Sends requests from 4 threads for {@code duration}; returns how many were answered. */
  private int load(GatewayProcess gateway, Duration duration, boolean leaveInFlight) throws Exception {
    SSLContext trust = GatewayHarness.trustingDevCa(dir.resolve("certs/ca.crt"));
    HttpClient client = HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1).build();
    AtomicInteger answered = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        while (!stop.get()) {
          try {
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(gateway.url("/rest/x?page=1"))).build(),
                HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) answered.incrementAndGet();
          } catch (Exception e) {
            return; // the gateway was killed
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    Thread.sleep(duration.toMillis());
    if (!leaveInFlight) stop.set(true);
    if (!leaveInFlight) for (Thread thread : threads) thread.join();
    int n = answered.get();
    if (leaveInFlight) stop.set(true);
    return n;
  }
}
