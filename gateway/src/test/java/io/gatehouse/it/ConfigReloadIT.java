package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload in a real {@code run} process under steady load: a good file (a new route; the pool moved to another
 * upstream) takes effect within a few seconds, a bad one is refused with its problems on stderr while the old config
 * keeps serving, SIGHUP reloads too, and none of it fails a request in flight or cuts an open WebSocket.
 */
class ConfigReloadIT {
  /** The reloader polls every second; a change must show within this. */
  private static final Duration TAKES_EFFECT = Duration.ofSeconds(3);
  private static final String OK = "gatehouse_config_reloads_total{result=\"ok\"}";
  private static final String FAILED = "gatehouse_config_reloads_total{result=\"failed\"}";

  /** {@code /hup/} takes its allow list from a file, which only a SIGHUP reload re-reads (the YAML is unchanged). */
  private static final String HUP_ROUTE = """
        - name: "hup"
          match: ["/hup/"]
          upstream: "main"
          allow: ["${file:hup-allow.txt}"]
      """;
  private static final String EDITOR_ROUTE = """
        - name: "editor"
          match: ["/load/", "/slow", "/ws"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
      """;
  private static final String NEW_ROUTE = """
        - name: "fresh"
          match: ["/new/"]
          upstream: "main"
          allow: ["127.0.0.0/8"]
      """;

  private static Vertx vertx;
  private static TestUpstream upstream;
  /** Where step (c) moves the {@code main} pool. */
  private static TestUpstream otherUpstream;

  @TempDir Path dir;

  @BeforeAll static void startUpstream() {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    otherUpstream = new TestUpstream(vertx);
  }

  @AfterAll static void stopUpstream() {
    upstream.close();
    otherUpstream.close();
    vertx.close().await();
  }

  @Test void reloadsOnChangeRefusesInvalidFilesAndReloadsOnSighupWithoutFailingARequestOrCuttingAWebSocket()
      throws Exception {
    GatewayProcess.writeDevCerts(dir);
    GatewayProcess.writeAtomically(dir.resolve("hup-allow.txt"), "10.0.0.0/8\n");
    GatewayProcess.Ports[] ports = new GatewayProcess.Ports[1];
    try (GatewayProcess gateway = GatewayProcess.run(dir, p -> {
      ports[0] = p;
      return yaml(p, HUP_ROUTE + EDITOR_ROUTE, "");
    }, Map.of())) {
      SSLContext trust = GatewayHarness.trustingDevCa(dir.resolve("certs/ca.crt"));
      HttpClient probe = HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1).build();
      assertThat(status(probe, gateway, "/new/x")).isEqualTo(404);
      assertThat(status(probe, gateway, "/hup/x")).isEqualTo(403);

      WebSocketClient webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
          .setVerifyHost(true).setTrustOptions(new PemTrustOptions().addCertPath(dir.resolve("certs/ca.crt").toString())));
      WebSocket ws = webSockets.connect(new WebSocketConnectOptions().setSsl(true).setHost("localhost")
          .setPort(gateway.port()).setURI("/ws").addHeader("Origin", "https://localhost:8443")).await();
      BlockingQueue<String> echoes = new LinkedBlockingQueue<>();
      AtomicBoolean wsClosed = new AtomicBoolean();
      // The upstream echoes with write(), as binary frames: read every data frame, text or binary.
      ws.handler(data -> echoes.add(data.toString()));
      ws.closeHandler(v -> wsClosed.set(true));
      ws.writeTextMessage("before reloads").await();
      assertThat(echoes.poll(5, TimeUnit.SECONDS)).isEqualTo("before reloads");

      SteadyLoad load = new SteadyLoad(trust, gateway.url("/load/ping"), 2, 2);
      // A request that is in flight across the first reload.
      CompletableFuture<HttpResponse<String>> slow = HttpClient.newBuilder().sslContext(trust).build().sendAsync(
          HttpRequest.newBuilder(URI.create(gateway.url("/slow?ms=1500"))).build(), HttpResponse.BodyHandlers.ofString());
      GatewayHarness.awaitTrue(() -> upstream.seen().stream().anyMatch(s -> s.uri().startsWith("/slow")),
          Duration.ofSeconds(5), "the slow request at the upstream");

      // (a) A good change: a new route appears.
      String withNewRoute = yaml(ports[0], HUP_ROUTE + NEW_ROUTE + EDITOR_ROUTE, "");
      GatewayProcess.writeAtomically(gateway.configFile(), withNewRoute);
      GatewayHarness.awaitTrue(() -> status(probe, gateway, "/new/x") == 200, TAKES_EFFECT, "the new route serving");
      assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).as("request in flight during the reload").isEqualTo(200);
      String metrics = gateway.metrics();
      assertThat(GatewayProcess.metricValue(metrics, OK)).isEqualTo(1);
      assertThat(GatewayProcess.metricValue(metrics, FAILED)).isZero();

      // (b) An invalid file: an unknown key and a bad CIDR. Refused, reported with positions, old config serves.
      String invalid = yaml(ports[0], HUP_ROUTE + NEW_ROUTE.replace("127.0.0.0/8", "10.0/8") + EDITOR_ROUTE,
          "  colour: \"blue\"\n");
      GatewayProcess.writeAtomically(gateway.configFile(), invalid);
      GatewayHarness.awaitTrue(() -> metric(gateway, FAILED) == 1, TAKES_EFFECT, "the failed reload counted");
      String file = Pattern.quote(gateway.configFile().toString());
      GatewayHarness.awaitTrue(() -> stderrContains(gateway, file + ":\\d+:\\d+: error: server\\.colour"),
          Duration.ofSeconds(2), "the unknown key on stderr with its position");
      assertThat(gateway.stderr())
          .containsPattern(file + ":\\d+:\\d+: error: routes\\[1\\]\\.allow\\[0\\]: \"10\\.0/8\" is not a CIDR");
      assertThat(status(probe, gateway, "/new/x")).as("the old config still serving").isEqualTo(200);
      assertThat(metric(gateway, OK)).isEqualTo(1);

      // (c) Back to a good file (picked up by polling) that also moves the main pool to another upstream, then a
      // change only SIGHUP sees: the allow-list file.
      GatewayProcess.writeAtomically(gateway.configFile(),
          GatewayProcess.configYaml(otherUpstream.url(), "routes:\n" + HUP_ROUTE + NEW_ROUTE + EDITOR_ROUTE, "", ports[0]));
      GatewayHarness.awaitTrue(() -> metric(gateway, OK) == 2, TAKES_EFFECT, "the repaired file reloaded");
      assertThat(status(probe, gateway, "/new/moved")).isEqualTo(200);
      assertThat(otherUpstream.seen()).extracting(TestUpstream.Seen::uri).contains("/new/moved");
      assertThat(status(probe, gateway, "/hup/x")).isEqualTo(403);
      GatewayProcess.writeAtomically(dir.resolve("hup-allow.txt"), "127.0.0.0/8\n");
      gateway.signal("HUP");
      GatewayHarness.awaitTrue(() -> status(probe, gateway, "/hup/x") == 200, TAKES_EFFECT,
          "the allow list re-read on SIGHUP");
      assertThat(metric(gateway, OK)).isEqualTo(3);
      assertThat(metric(gateway, FAILED)).isEqualTo(1);

      GatewayHarness.awaitTrue(() -> otherUpstream.seen().stream().anyMatch(s -> s.uri().startsWith("/load/")),
          Duration.ofSeconds(2), "the steady load reaching the new upstream");
      load.stop();
      assertThat(load.failures()).as("requests that failed during the reloads").isEmpty();
      assertThat(load.http1Ok()).as("HTTP/1.1 requests served").isGreaterThan(50);
      assertThat(load.http2Ok()).as("HTTP/2 requests served").isGreaterThan(50);

      ws.writeTextMessage("after reloads").await();
      assertThat(echoes.poll(5, TimeUnit.SECONDS)).isEqualTo("after reloads");
      assertThat(wsClosed).as("WebSocket closed by a reload").isFalse();
      ws.close().await();
      webSockets.close().await();
      assertThat(gateway.process().isAlive()).isTrue();
    }
  }

  private String yaml(GatewayProcess.Ports ports, String routes, String serverExtra) {
    return GatewayProcess.configYaml(upstream.url(), "routes:\n" + routes, serverExtra, ports);
  }

  private static int status(HttpClient client, GatewayProcess gateway, String path) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(gateway.url(path))).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      throw new AssertionError("probe " + path + " failed", e);
    }
  }

  private static double metric(GatewayProcess gateway, String series) {
    try {
      return GatewayProcess.metricValue(gateway.metrics(), series);
    } catch (Exception e) {
      throw new AssertionError("scraping /metrics failed", e);
    }
  }

  private static boolean stderrContains(GatewayProcess gateway, String regex) {
    try {
      return Pattern.compile(regex).matcher(gateway.stderr()).find();
    } catch (Exception e) {
      return false;
    }
  }
}
