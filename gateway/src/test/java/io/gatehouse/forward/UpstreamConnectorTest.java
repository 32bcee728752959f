package io.gatehouse.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.config.UpstreamConfig;
import io.gatehouse.guard.Reason;
import io.gatehouse.it.GatewayHarness;
import io.gatehouse.it.TestUpstream;
import io.gatehouse.route.Exchange;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Waiting for one of the pool's connections is not a connect failure: a saturated n8n is healthy, so its target stays
 * in rotation and the client gets 503 {@code overloaded}; a refused connect still ejects the target. Against a real
 * upstream on loopback, with a pool of one connection so saturation is one slow request away.
 */
class UpstreamConnectorTest {
  private static final Duration CONNECT = Duration.ofMillis(300);

  private Vertx vertx;
  private TestUpstream upstream;
  private UpstreamClients clients;
  private GatewayMetrics metrics;
  private UpstreamConnector connector;

  @BeforeEach void start() {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    clients = new UpstreamClients(vertx, new HttpClientOptions().setConnectTimeout((int) CONNECT.toMillis()),
        new PoolOptions().setHttp1MaxSize(1));
    metrics = new GatewayMetrics();
    connector = new UpstreamConnector(clients, metrics);
  }

  @AfterEach void stop() {
    clients.close().await();
    upstream.close();
    vertx.close().await();
  }

  @Test void aRequestThatCannotGetAPooledConnectionInTimeIsOverloadedAndEjectsNothing() throws Exception {
    UpstreamPool pool = pool(upstream.url());
    HttpClientRequest holding = connector.open(exchange("/slow"), pool, settings(), HttpMethod.GET).await();
    holding.send(); // the pool's only connection is now busy for a while
    GatewayHarness.awaitTrue(() -> !upstream.seen().isEmpty(), Duration.ofSeconds(5), "the slow request upstream");

    long start = System.nanoTime();
    Throwable failure = connector.open(exchange("/next"), pool, settings(), HttpMethod.GET)
        .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await();
    Duration waited = Duration.ofNanos(System.nanoTime() - start);

    assertThat(failure).isInstanceOf(UpstreamFailure.class);
    assertThat(((UpstreamFailure) failure).reason()).isEqualTo(Reason.OVERLOADED);
    assertThat(waited).as("twice upstream_connect").isBetween(CONNECT.multipliedBy(2).minusMillis(50), Duration.ofSeconds(3));
    assertThat(pool.targets().get(0).available(System.nanoTime())).as("target kept in rotation").isTrue();
    assertThat(metrics.scrape()).contains("gatehouse_upstream_errors_total{kind=\"pool_wait\",upstream=\"main\"} 1.0")
        .doesNotContain("kind=\"connect\"");
  }

  @Test void aRefusedConnectStillEjectsTheTarget() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    UpstreamPool pool = pool("http://127.0.0.1:" + closedPort);

    Throwable failure = connector.open(exchange("/x"), pool, settings(), HttpMethod.GET)
        .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await();

    assertThat(((UpstreamFailure) failure).reason()).isEqualTo(Reason.UPSTREAM_UNAVAILABLE);
    assertThat(pool.targets().get(0).available(System.nanoTime())).isFalse();
    assertThat(metrics.scrape()).contains("kind=\"connect\"");
  }

  private static UpstreamPool pool(String url) {
    return new UpstreamPool(new UpstreamConfig("main", List.of(URI.create(url))), Duration.ofSeconds(5));
  }

  private static ForwardSettings settings() {
    return new ForwardSettings(1 << 20, CONNECT, Duration.ofSeconds(10), "localhost", "https", Duration.ofSeconds(60),
        Duration.ofHours(1));
  }

  private static Exchange exchange(String path) {
    Exchange exchange = new Exchange("test", null);
    exchange.path(path);
    exchange.query(path.equals("/slow") ? "ms=3000" : null);
    return exchange;
  }
}
