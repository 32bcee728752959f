package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.audit.log.LogEntries;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} stops on SIGTERM and SIGINT by draining: the listener closes at once, requests in flight finish, the
 * access log is flushed, and the process exits 0. A real child JVM, since signals and exit codes are the point.
 */
class GracefulShutdownIT {
  /** The harness config's {@code server.timeouts.drain}. */
  private static final Duration DRAIN = Duration.ofSeconds(5);

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

  @Test void sigtermRefusesNewConnectionsFinishesInFlightRequestsFlushesTheLogAndExitsZero() throws Exception {
    try (GatewayProcess gateway = start()) {
      SSLContext trust = GatewayHarness.trustingDevCa(dir.resolve("certs/ca.crt"));
      // Idle keep-alive connections (HTTP/1.1 and HTTP/2) must not hold the drain open until its timeout.
      for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
        HttpClient idle = HttpClient.newBuilder().sslContext(trust).version(version).build();
        assertThat(idle.send(HttpRequest.newBuilder(URI.create(gateway.url("/idle"))).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
      }
      upstream.clear();
      // One slow request over each protocol, so both HTTP/1.1 and HTTP/2 drains are covered.
      CompletableFuture<HttpResponse<String>> overHttp1 = slowRequest(trust, HttpClient.Version.HTTP_1_1, gateway, "h1");
      // HTTP/2 through Vert.x's client: JDK 17's HttpClient fails every open stream on GOAWAY, even those the
      // GOAWAY's last-stream-id says will be completed (JDK-8335181, fixed in JDK 24).
      io.vertx.core.http.HttpClient vertxHttp2 = vertx.createHttpClient(new HttpClientOptions()
          .setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true).setSsl(true).setVerifyHost(true)
          .setTrustOptions(new PemTrustOptions().addCertPath(dir.resolve("certs/ca.crt").toString())));
      CompletableFuture<HttpClientResponse> h2Response = new CompletableFuture<>();
      CompletableFuture<String> overHttp2 = vertxHttp2
          .request(HttpMethod.GET, gateway.port(), "localhost", "/slow?ms=2000&via=h2")
          .compose(request -> request.send())
          .compose(response -> {
            h2Response.complete(response);
            return response.body();
          })
          .map(body -> body.toString())
          .toCompletionStage().toCompletableFuture();
      GatewayHarness.awaitTrue(() -> upstream.seen().stream().filter(s -> s.uri().startsWith("/slow")).count() == 2,
          Duration.ofSeconds(5), "both slow requests at the upstream");

      long signalled = System.nanoTime();
      gateway.process().destroy(); // SIGTERM on Linux

      GatewayHarness.awaitTrue(() -> connectRefused(gateway.port()), Duration.ofMillis(1500),
          "the public port refusing new connections");
      assertThat(overHttp1).as("HTTP/1.1 slow request still in flight when the port closed").isNotDone();
      assertThat(overHttp2).as("HTTP/2 slow request still in flight when the port closed").isNotDone();

      assertThat(overHttp1.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(overHttp1.get().body()).isEqualTo("slow");
      assertThat(overHttp2.get(5, TimeUnit.SECONDS)).isEqualTo("slow");
      assertThat(h2Response.get().statusCode()).isEqualTo(200);
      assertThat(h2Response.get().version()).isEqualTo(HttpVersion.HTTP_2);
      long answered = System.nanoTime();
      assertThat(gateway.waitFor(DRAIN.plusSeconds(2))).as("exited within the drain timeout").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(DRAIN);
      assertThat(Duration.ofNanos(System.nanoTime() - answered))
          .as("exit soon after the last in-flight request, not at the drain timeout").isLessThan(Duration.ofMillis(1500));
      assertThat(gateway.process().exitValue()).as(gateway.stderr()).isZero();

      List<JsonNode> slow = accessRecords().stream().filter(r -> r.get("path").asText().equals("/slow")).toList();
      assertThat(slow).hasSize(2).allSatisfy(r -> {
        assertThat(r.get("status").asInt()).isEqualTo(200);
        assertThat(r.get("decision").asText()).isEqualTo("allow");
      });
      assertThat(slow).extracting(r -> r.get("request_id").asText()).containsExactlyInAnyOrder(
          overHttp1.get().headers().firstValue("X-Request-Id").orElseThrow(),
          h2Response.get().getHeader("X-Request-Id"));
      vertxHttp2.close().await();
    }
  }

  @Test void sigintStopsTheGatewayWithExitZero() throws Exception {
    try (GatewayProcess gateway = start()) {
      gateway.signal("INT");

      assertThat(gateway.waitFor(DRAIN.plusSeconds(2))).as("exited after SIGINT").isTrue();
      assertThat(gateway.process().exitValue()).as(gateway.stderr()).isZero();
      assertThat(connectRefused(gateway.port())).isTrue();
      assertThat(connectRefused(gateway.adminPort())).isTrue();
    }
  }

  @Test void aSecondSignalDuringTheDrainNeitherCutsItNorChangesTheExitStatus() throws Exception {
    try (GatewayProcess gateway = start()) {
      SSLContext trust = GatewayHarness.trustingDevCa(dir.resolve("certs/ca.crt"));
      upstream.clear();
      CompletableFuture<HttpResponse<String>> slow = slowRequest(trust, HttpClient.Version.HTTP_1_1, gateway, "twice");
      GatewayHarness.awaitTrue(() -> upstream.seen().stream().anyMatch(s -> s.uri().startsWith("/slow")),
          Duration.ofSeconds(5), "the slow request at the upstream");

      gateway.signal("TERM");
      GatewayHarness.awaitTrue(() -> connectRefused(gateway.port()), Duration.ofMillis(1500), "the drain started");
      gateway.signal("INT");

      assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(gateway.waitFor(DRAIN.plusSeconds(2))).isTrue();
      assertThat(gateway.process().exitValue()).as(gateway.stderr()).isZero();
    }
  }

  @Test void anOpenWebSocketIsClosedWhenTheDrainTimeoutEndsAndTheExitStatusIsStillZero() throws Exception {
    try (GatewayProcess gateway = start("1s")) {
      WebSocketClient client = vertx.createWebSocketClient(
          new WebSocketClientOptions().setSsl(true).setVerifyHost(true)
              .setTrustOptions(new PemTrustOptions().addCertPath(dir.resolve("certs/ca.crt").toString())));
      WebSocket ws = client.connect(new WebSocketConnectOptions().setSsl(true)
          .setHost("localhost").setPort(gateway.port()).setURI("/ws")).await();
      CompletableFuture<Long> closedAt = new CompletableFuture<>();
      ws.closeHandler(v -> closedAt.complete(System.nanoTime()));
      BlockingQueue<String> echoes = new LinkedBlockingQueue<>();
      ws.handler(data -> echoes.add(data.toString()));

      long signalled = System.nanoTime();
      gateway.process().destroy();
      GatewayHarness.awaitTrue(() -> connectRefused(gateway.port()), Duration.ofMillis(900), "the drain started");
      ws.writeTextMessage("during the drain").await();
      assertThat(echoes.poll(2, TimeUnit.SECONDS)).as("the tunnel still works while draining").isEqualTo("during the drain");

      assertThat(gateway.waitFor(Duration.ofSeconds(4))).as("exited about when the 1 s drain ended").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofMillis(3500));
      assertThat(gateway.process().exitValue()).as(gateway.stderr()).isZero();
      assertThat(Duration.ofNanos(closedAt.get(2, TimeUnit.SECONDS) - signalled))
          .as("WebSocket kept until the drain timeout").isGreaterThan(Duration.ofMillis(900));
      client.close().await();
    }
  }

  private GatewayProcess start() throws Exception {
    return start("5s");
  }

  private GatewayProcess start(String drain) throws Exception {
    GatewayProcess.writeDevCerts(dir);
    return GatewayProcess.run(dir,
        ports -> GatewayProcess.configYaml(upstream.url(), GatewayHarness.DEFAULT_ROUTES, "", ports)
            .replace("drain: \"5s\"", "drain: \"" + drain + "\""), Map.of());
  }

  private static CompletableFuture<HttpResponse<String>> slowRequest(
      SSLContext trust, HttpClient.Version version, GatewayProcess gateway, String tag) {
    HttpClient client = HttpClient.newBuilder().sslContext(trust).version(version)
        .connectTimeout(Duration.ofSeconds(5)).build();
    return client.sendAsync(
        HttpRequest.newBuilder(URI.create(gateway.url("/slow?ms=2000&via=" + tag))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean connectRefused(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (IOException other) {
      return false;
    }
  }

  private List<JsonNode> accessRecords() throws IOException {
    List<JsonNode> records = new ArrayList<>();
    LogEntries.forEach(dir.resolve("audit"), e -> {
      if ("request".equals(e.path("kind").asText())) records.add(e);
    });
    return records;
  }
}
