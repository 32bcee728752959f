package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.audit.log.LogEntries;
import io.gatehouse.tls.AuditKeyWriter;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payload capture attacked with volume, on a gateway with the production flags ({@code -Xmx128m}) and the largest
 * {@code max_payload} (1 MiB): many connections push large bodies at full speed through a route that logs both
 * bodies. Every request is still forwarded whole and answered; the copies waiting for the scrubber never pass their
 * budget (an eighth of the heap) and the heap stays bounded; each body still gets its payload entries, cut where
 * {@code max_payload} or the budget ended.
 */
class CaptureUnderPressureIT {
  private static final String ROUTES = """
      routes:
        - name: "uploads"
          match: ["/upload"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          log_payloads: "both"
      """;
  private static final int CONNECTIONS = 24;
  private static final int BODY_BYTES = 2 << 20;

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static Path dir;
  private static GatewayProcess gateway;
  private static SSLContext trust;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    dir = Files.createTempDirectory("gatehouse-capture-pressure");
    GatewayProcess.writeDevCerts(dir);
    new AuditKeyWriter().write(dir.resolve("audit"));
    gateway = GatewayProcess.run(dir, ports -> GatewayProcess.configYaml(upstream.url(), ROUTES, "", ports)
        + "  signing_key: \"audit.key\"\n  scrub: { max_payload: \"1MiB\" }\n", Map.of(),
        GatewayProcess.PRODUCTION_JVM_OPTIONS);
    trust = GatewayHarness.trustingDevCa(dir.resolve("certs/ca.crt"));
  }

  @AfterAll static void stop() throws Exception {
    if (gateway != null) gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @Test void largeBodiesOnManyConnectionsAreForwardedWholeWhileTheCopiesStayWithinTheirBudget() throws Exception {
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS + 1);
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    List<Long> held = java.util.Collections.synchronizedList(new ArrayList<>());
    long[] heap = {-1};
    try {
      List<Future<?>> pushes = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        pushes.add(pool.submit(() -> {
          statuses.merge(push(BODY_BYTES).status(), 1, Integer::sum);
          return null;
        }));
      }
      Future<?> sampler = pool.submit(() -> {
        while (pushes.stream().anyMatch(f -> !f.isDone())) {
          long bytes = (long) MetricsText.value(gateway.metrics(), "gatehouse_audit_payload_bytes");
          held.add(bytes);
          if (heap[0] < 0 && bytes > (12L << 20)) heap[0] = gateway.liveHeapBytes();
          Thread.sleep(50);
        }
        return null;
      });
      for (Future<?> push : pushes) push.get(180, TimeUnit.SECONDS);
      sampler.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    long pushed = System.nanoTime();
    long peak = held.stream().mapToLong(Long::longValue).max().orElse(0);
    System.out.printf("CaptureUnderPressureIT: %d x %d MiB with log_payloads both: statuses %s, copies peak %d KiB,"
        + " live heap near the peak %d KiB, peak RSS %d KiB%n", CONNECTIONS, BODY_BYTES >> 20, statuses, peak / 1024,
        heap[0] / 1024, gateway.statusKib("VmHWM"));
    assertThat(statuses).as("every body forwarded whole and answered").isEqualTo(Map.of(200, CONNECTIONS));
    assertThat(upstream.uploadedBytes()).isEqualTo((long) CONNECTIONS * BODY_BYTES);
    assertThat(peak).as("copies waiting for the scrubber").isPositive().isLessThanOrEqualTo(16L << 20);
    if (heap[0] > 0) assertThat(heap[0]).as("live heap with the copies near their budget").isLessThan(80L << 20);
    assertThat(gateway.stderr()).doesNotContain("OutOfMemoryError");

    GatewayHarness.awaitTrue(() -> {
      try {
        return MetricsText.value(gateway.metrics(), "gatehouse_audit_payload_bytes") == 0;
      } catch (Exception e) {
        return false;
      }
    }, Duration.ofSeconds(60), "every copy to be scrubbed and given back");
    System.out.printf("CaptureUnderPressureIT: pushed in %d ms, scrubbed %d ms after%n", (pushed - started) / 1_000_000,
        (System.nanoTime() - pushed) / 1_000_000);
    List<JsonNode> firstPieces = new ArrayList<>();
    GatewayHarness.awaitTrue(() -> {
      firstPieces.clear();
      try {
        LogEntries.forEach(dir.resolve("audit"), e -> {
          if ("payload".equals(e.path("kind").asText()) && "request".equals(e.path("part").asText())
              && e.path("piece").asInt() == 0) {
            firstPieces.add(e);
          }
        });
      } catch (java.io.IOException e) {
        return false;
      }
      return firstPieces.size() == CONNECTIONS;
    }, Duration.ofSeconds(30), "a request payload entry for every upload");
    assertThat(firstPieces).allSatisfy(e -> {
      assertThat(e.get("size").asLong()).isEqualTo(BODY_BYTES);
      assertThat(e.get("truncated_at").asLong()).isLessThanOrEqualTo(1L << 20);
    });
  }

  /** One connection posting a JSON body of {@code bytes} as fast as it can. */
  private static RawReply push(int bytes) throws Exception {
    try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("localhost", gateway.port())) {
      OutputStream out = socket.getOutputStream();
      // Connection: close, so the reply is read to its end rather than to a keep-alive's silence.
      out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Connection: close\r\nContent-Length: " + bytes + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] open = "{\"notes\":\"".getBytes(StandardCharsets.US_ASCII);
      byte[] close = "\"}".getBytes(StandardCharsets.US_ASCII);
      out.write(open);
      byte[] chunk = "lorem ipsum dolor sit amet ".repeat(2400).getBytes(StandardCharsets.US_ASCII);
      int left = bytes - open.length - close.length;
      while (left > 0) {
        int n = Math.min(left, chunk.length);
        out.write(chunk, 0, n);
        left -= n;
      }
      out.write(close);
      out.flush();
      return RawReply.read(socket, Duration.ofSeconds(60));
    }
  }
}
