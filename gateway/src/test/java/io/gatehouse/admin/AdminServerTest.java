package io.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.config.AdminConfig;
import io.gatehouse.config.HostPort;
import io.gatehouse.core.Reason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final AtomicReference<Supplier<Future<Boolean>>> readiness =
      new AtomicReference<>(() -> Future.succeededFuture(true));
  private Vertx vertx;
  private AdminServer admin;
  private int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    admin = new AdminServer(vertx, new AdminConfig(new HostPort("127.0.0.1", 0)), metrics, () -> readiness.get().get());
    port = admin.start().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    admin.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void bindsTheRequestedLoopbackAddressOnAnEphemeralPort() {
    assertThat(port).isPositive();
  }

  @Test
  void answersHealthzWithOk() throws Exception {
    HttpResponse<String> response = get("/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void answersReadyzWith200WhenTheCheckCompletesTrue() throws Exception {
    HttpResponse<String> response = get("/readyz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"status\":\"ready\"}");
  }

  @Test
  void answersReadyzWith503WhenTheCheckCompletesFalse() throws Exception {
    readiness.set(() -> Future.succeededFuture(false));

    HttpResponse<String> response = get("/readyz");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("{\"status\":\"unready\"}");
  }

  @Test
  void answersReadyzWith503WhenTheCheckFails() throws Exception {
    readiness.set(() -> Future.failedFuture(new ConnectException("no upstream")));

    HttpResponse<String> response = get("/readyz");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("{\"status\":\"unready\"}");
  }

  @Test
  void answersReadyzWith503WhenTheCheckThrows() throws Exception {
    readiness.set(() -> {
      throw new IllegalStateException("bug in the check");
    });

    assertThat(get("/readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void answersReadyzWith503WhenTheCheckNeverCompletes() throws Exception {
    readiness.set(() -> Promise.<Boolean>promise().future());

    long started = System.nanoTime();
    HttpResponse<String> response = get("/readyz");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(AdminServer.READINESS_TIMEOUT_MILLIS))
        .isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void asksTheReadinessCheckAgainOnEveryProbe() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    readiness.set(() -> Future.succeededFuture(calls.incrementAndGet() > 1));

    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(calls).hasValue(2);
  }

  @Test
  void servesMetricsInPrometheusTextFormat() throws Exception {
    metrics.requestCompleted("editor", 200, Reason.NONE, 1_000);

    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body())
        .contains("# TYPE gatehouse_requests_total counter")
        .contains("gatehouse_requests_total{decision=\"allow\",reason=\"none\",route=\"editor\",status=\"200\"} 1");
  }

  @Test
  void answers404ForAnyOtherPath() throws Exception {
    for (String path : new String[] {"/", "/metrics/x", "/healthz/readiness", "/rest/login", "/admin"}) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.body()).as(path).isEqualTo("{\"status\":\"not_found\"}");
    }
  }

  @Test
  void answers404ForOtherMethodsOnKnownPaths() throws Exception {
    HttpRequest post = HttpRequest.newBuilder(uri("/healthz")).POST(HttpRequest.BodyPublishers.noBody()).build();
    HttpRequest delete = HttpRequest.newBuilder(uri("/metrics")).DELETE().build();

    assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    assertThat(http.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }

  @Test
  void stopsListeningOnClose() throws Exception {
    admin.close().await(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> get("/healthz")).isInstanceOf(IOException.class);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
