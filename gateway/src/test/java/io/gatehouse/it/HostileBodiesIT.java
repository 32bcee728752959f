package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Secret;
import io.gatehouse.guard.signature.GitHubSignatureScheme;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * The attack that took the heap: signed-webhook requests that declare {@code max_body} (16 MiB) and send one byte,
 * over many TLS connections and HTTP/2 streams, against a gateway run with the README's production flags
 * ({@code -Xmx128m}). Before bounded buffering, four such connections filled 85% of the heap, the rest got 500
 * {@code guard_error} and legitimate deliveries failed from then on. Now nothing is reserved from a declared length,
 * and bodies actually pushed at full speed meet the buffered-body budget (a quarter of the heap) and 503
 * {@code overloaded}, never an OutOfMemoryError.
 */
class HostileBodiesIT {
  private static final String SECRET = "claims-secret-0123456789abcdef";
  private static final String ROUTES = """
      webhooks:
        - path: "/webhook/signed"
          scheme: "github"
          secrets: ["%s"]
      routes:
        - name: "webhooks"
          match: ["/webhook/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          signature: "required"
      """.formatted(SECRET);
  private static final String FAKE_SIGNATURE = "X-Hub-Signature-256: sha256=" + "ab".repeat(32) + "\r\n";

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static Path dir;
  private static GatewayProcess gateway;
  private static SSLContext trust;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    dir = Files.createTempDirectory("gatehouse-hostile-bodies");
    GatewayProcess.writeDevCerts(dir);
    gateway = GatewayProcess.run(dir, ports -> GatewayProcess.configYaml(upstream.url(), ROUTES, "", ports), Map.of(),
        GatewayProcess.PRODUCTION_JVM_OPTIONS);
    trust = GatewayHarness.trustingDevCa(dir.resolve("certs/ca.crt"));
  }

  @AfterAll static void stop() throws Exception {
    if (gateway != null) gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @Test void declaredMaxBodiesOnManyConnectionsAndStreamsHoldNoHeapAndASignedDeliveryStillGets200() throws Exception {
    List<SSLSocket> attackers = new ArrayList<>();
    io.vertx.core.http.HttpClient h2 = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true).setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(dir.resolve("certs/ca.crt").toString()))
        .setHttp2MultiplexingLimit(100), new PoolOptions().setHttp2MaxSize(1));
    try {
      for (int i = 0; i < 40; i++) {
        SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("localhost", gateway.port());
        attackers.add(socket);
        write(socket.getOutputStream(), "POST /webhook/signed HTTP/1.1\r\nHost: localhost\r\n" + FAKE_SIGNATURE
            + "X-GitHub-Delivery: " + UUID.randomUUID() + "\r\nContent-Length: 16777216\r\n\r\nx");
      }
      List<HttpClientRequest> streams = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        HttpClientRequest stream = h2.request(HttpMethod.POST, gateway.port(), "localhost", "/webhook/signed").await();
        stream.putHeader("X-Hub-Signature-256", "sha256=" + "ab".repeat(32))
            .putHeader("X-GitHub-Delivery", UUID.randomUUID().toString())
            .putHeader("Content-Length", "16777216");
        stream.write(Buffer.buffer("x")).await();
        streams.add(stream);
      }
      GatewayHarness.awaitTrue(() -> bufferedBytes() == 140, Duration.ofSeconds(10),
          "every attacking request to have its one byte taken in");

      HttpResponse<String> delivered = deliverSigned("{\"claim_id\":\"C-1\"}");

      assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
      assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).contains("/webhook/signed");
      long liveHeap = gateway.liveHeapBytes();
      System.out.printf("HostileBodiesIT: 140 requests declaring 16 MiB: live heap %d KiB, peak RSS %d KiB%n",
          liveHeap / 1024, gateway.statusKib("VmHWM"));
      assertThat(liveHeap).as("live heap with 140 requests declaring 16 MiB each").isLessThan(40L << 20);
      assertThat(gateway.stderr()).doesNotContain("OutOfMemoryError");
    } finally {
      for (SSLSocket socket : attackers) socket.close();
      h2.close().await();
    }
  }

  @Test void bodiesPushedAtFullSpeedAreRefusedOverloadedOnceTheBudgetIsSpentNeverOutOfMemory() throws Exception {
    int connections = 10;
    int bodyBytes = 8 << 20;
    ExecutorService pool = Executors.newFixedThreadPool(connections + 1);
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    List<String> retryAfter = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Double> budgetSeen = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      List<Future<?>> pushes = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        pushes.add(pool.submit(() -> {
          RawReply reply = pushBody(bodyBytes);
          statuses.merge(reply.status(), 1, Integer::sum);
          if (reply.status() == 503) retryAfter.add(reply.header("Retry-After"));
          return null;
        }));
      }
      long[] heapMidAttack = {-1};
      Future<?> sampler = pool.submit(() -> {
        while (pushes.stream().anyMatch(f -> !f.isDone())) {
          long buffered = bufferedBytes();
          budgetSeen.add((double) buffered);
          // Once, with the budget nearly full: what the heap holds at the worst moment.
          if (heapMidAttack[0] < 0 && buffered > (24L << 20)) heapMidAttack[0] = gateway.liveHeapBytes();
          Thread.sleep(100);
        }
        return null;
      });
      for (Future<?> push : pushes) push.get(120, TimeUnit.SECONDS);
      sampler.get(10, TimeUnit.SECONDS);
      System.out.printf("HostileBodiesIT: 10 x 8 MiB pushed at once: statuses %s, budget peak %.0f KiB, live heap"
          + " measured just after it %d KiB, peak RSS %d KiB%n", statuses,
          budgetSeen.stream().mapToDouble(d -> d).max().orElse(0) / 1024,
          heapMidAttack[0] / 1024, gateway.statusKib("VmHWM"));
      assertThat(heapMidAttack[0]).as("live heap with the budget nearly full").isPositive().isLessThan(80L << 20);
    } finally {
      pool.shutdownNow();
    }

    // 10 x 8 MiB at once against a 32 MiB budget: some must be turned away, and those that fit are refused only for
    // their fake signature.
    assertThat(statuses.getOrDefault(503, 0)).as("statuses " + statuses).isPositive();
    assertThat(statuses.keySet()).as("statuses " + statuses).isSubsetOf(401, 503);
    assertThat(retryAfter).allSatisfy(value -> assertThat(value).isNotBlank());
    assertThat(budgetSeen).allSatisfy(bytes -> assertThat(bytes).isLessThanOrEqualTo(32.0 * (1 << 20)));
    assertThat(gateway.stderr()).doesNotContain("OutOfMemoryError");
    assertThat(MetricsText.value(gateway.metrics(), "gatehouse_requests_total",
        Map.of("route", "webhooks", "status", "503", "decision", "refuse", "reason", "overloaded")))
        .isEqualTo(statuses.get(503).doubleValue());

    GatewayHarness.awaitTrue(() -> bufferedBytes() == 0, Duration.ofSeconds(10), "the budget to be given back");
    HttpResponse<String> delivered = deliverSigned("{\"claim_id\":\"C-2\"}");
    assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
  }

  /** One connection sending a body as fast as it can; the reply once the gateway answers or cuts it. */
  private static RawReply pushBody(int bytes) throws Exception {
    try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("localhost", gateway.port())) {
      OutputStream out = socket.getOutputStream();
      write(out, "POST /webhook/signed HTTP/1.1\r\nHost: localhost\r\n" + FAKE_SIGNATURE
          + "X-GitHub-Delivery: " + UUID.randomUUID() + "\r\nContent-Length: " + bytes + "\r\n\r\n");
      byte[] chunk = new byte[64 * 1024];
      try {
        for (int sent = 0; sent < bytes; sent += chunk.length) out.write(chunk);
        out.flush();
      } catch (java.io.IOException refusedMidway) {
        // The gateway answered and closed while we were still sending: read what it said.
      }
      return RawReply.read(socket, Duration.ofSeconds(30));
    }
  }

  private static HttpResponse<String> deliverSigned(String body) throws Exception {
    var headers = new GitHubSignatureScheme().sign(body.getBytes(StandardCharsets.UTF_8), new Secret(SECRET, false),
        UUID.randomUUID().toString(), Instant.now());
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url("/webhook/signed")))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    headers.forEach(request::header);
    return HttpClient.newBuilder().sslContext(trust).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long bufferedBytes() {
    try {
      return (long) MetricsText.value(gateway.metrics(), "gatehouse_buffered_body_bytes");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(OutputStream out, String text) throws Exception {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
