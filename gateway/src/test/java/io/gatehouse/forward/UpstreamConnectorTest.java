package io.gatehouse.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.config.UpstreamConfig;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.Reason;
import io.gatehouse.it.GatewayHarness;
import io.gatehouse.it.TestUpstream;
import io.gatehouse.upstream.UpstreamClientSettings;
import io.gatehouse.upstream.UpstreamConnection;
import io.gatehouse.upstream.UpstreamConnectionPools;
import io.gatehouse.upstream.UpstreamResponseHandler;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Waiting for one of the pool's connections is not a connect failure: a saturated n8n is healthy, so its target stays
 * in rotation and the client gets 503 {@code overloaded}; a refused connect still ejects the target. Against a real
 * upstream on loopback, with a pool of one connection so saturation is one slow request away. The gateway's own
 * client (what HttpForwarder uses), acquired on one event loop as the forwarder does.
 */
class UpstreamConnectorTest {
  private static final Duration CONNECT = Duration.ofMillis(300);

  private Vertx vertx;
  private TestUpstream upstream;
  private UpstreamConnectionPools pools;
  private GatewayMetrics metrics;
  private UpstreamConnector connector;
  private Context loop;

  @BeforeEach void start() {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    pools = new UpstreamConnectionPools(vertx,
        new UpstreamClientSettings(CONNECT, 1, 1024, Duration.ofSeconds(30), 8 * 1024, 64 * 1024));
    metrics = new GatewayMetrics();
    connector = new UpstreamConnector(metrics);
    loop = vertx.getOrCreateContext();
  }

  @AfterEach void stop() {
    pools.close().await();
    upstream.close();
    vertx.close().await();
  }

  @Test void aRequestThatCannotGetAPooledConnectionInTimeIsOverloadedAndEjectsNothing() throws Exception {
    UpstreamPool pool = pool(upstream.url());
    UpstreamConnection holding = onLoop(() -> open(exchange("/slow"), pool)).await();
    // The pool's only connection is now busy for a while.
    loop.runOnContext(v -> holding.call(HttpMethod.GET, "/slow?ms=3000", IGNORE).end());
    GatewayHarness.awaitTrue(() -> !upstream.seen().isEmpty(), Duration.ofSeconds(5), "the slow request upstream");

    long start = System.nanoTime();
    Throwable failure = onLoop(() -> open(exchange("/next"), pool))
        .transform(ar -> Future.succeededFuture(ar.cause())).await();
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

    Throwable failure = onLoop(() -> open(exchange("/x"), pool))
        .transform(ar -> Future.succeededFuture(ar.cause())).await();

    assertThat(((UpstreamFailure) failure).reason()).isEqualTo(Reason.UPSTREAM_UNAVAILABLE);
    assertThat(pool.targets().get(0).available(System.nanoTime())).isFalse();
    assertThat(metrics.scrape()).contains("kind=\"connect\"");
  }

  private static final UpstreamResponseHandler IGNORE = new UpstreamResponseHandler() {
    @Override public void onHead(HttpResponse head) { }
    @Override public void onContent(ByteBuf content) { content.release(); }
    @Override public void onEnd() { }
    @Override public void onFailure(Throwable cause) { }
  };

  private Future<UpstreamConnection> open(Exchange exchange, UpstreamPool pool) {
    return connector.open(exchange, pool, settings(), (target, wait) -> pools.acquire(target.address(), wait));
  }

  /** Runs on the test's event loop, as the forwarder does: the pools are per loop. */
  private <T> Future<T> onLoop(Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    loop.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  private static UpstreamPool pool(String url) {
    return new UpstreamPool(new UpstreamConfig("main", List.of(URI.create(url))), Duration.ofSeconds(5));
  }

  private static ForwardSettings settings() {
    return new ForwardSettings(1 << 20, CONNECT, Duration.ofSeconds(10), "localhost", "https", Duration.ofSeconds(60),
        Duration.ofHours(1), java.util.Set.of());
  }

  private static Exchange exchange(String path) {
    Exchange exchange = new Exchange("test", null);
    exchange.path(path);
    exchange.query(path.equals("/slow") ? "ms=3000" : null);
    return exchange;
  }
}
