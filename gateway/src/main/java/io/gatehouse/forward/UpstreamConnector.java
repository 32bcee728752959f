package io.gatehouse.forward;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.admin.UpstreamErrorKind;
import io.gatehouse.guard.Reason;
import io.gatehouse.route.Exchange;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import java.util.List;

/**
 * Opens the upstream request for an exchange: tries the pool's targets in order while a connection is refused
 * (nothing was sent yet, so the next target is safe to try), tells the pool which targets answered for its
 * passive health, and fails with {@link UpstreamFailure} when none did.
 *
 * <p>A request that could not get one of the pool's connections in time (all busy with slow workflows, or too many
 * requests already waiting) is not a connect failure: the target is healthy, only saturated, so it is not ejected
 * (ejecting it would send its share to the others and saturate them too) and the client gets 503 {@code overloaded}.
 * The TCP connect has its own, shorter deadline ({@code upstream_connect}, set on the client), so a connect that times
 * out fails with a {@link ConnectException} before the wait for a connection does.
 */
final class UpstreamConnector {
  /** The wait for a pooled connection, in units of upstream_connect: longer than a connect may take. */
  static final int POOL_WAIT_FACTOR = 2;

  private final UpstreamClients clients;
  private final GatewayMetrics metrics;

  UpstreamConnector(UpstreamClients clients, GatewayMetrics metrics) {
    this.clients = clients;
    this.metrics = metrics;
  }

  Future<HttpClientRequest> open(Exchange exchange, UpstreamPool pool, ForwardSettings settings, HttpMethod method) {
    return open(exchange, pool, pool.attemptOrder(), 0, settings, method);
  }

  private Future<HttpClientRequest> open(Exchange exchange, UpstreamPool pool, List<UpstreamTarget> order, int index,
      ForwardSettings settings, HttpMethod method) {
    UpstreamTarget target = order.get(index);
    RequestOptions options = new RequestOptions()
        .setMethod(method)
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.ssl())
        .setURI(exchange.query() == null ? exchange.path() : exchange.path() + "?" + exchange.query())
        .setFollowRedirects(false)
        .setConnectTimeout(settings.connectTimeout().toMillis() * POOL_WAIT_FACTOR);
    return clients.current().request(options).transform(ar -> {
      if (ar.succeeded()) {
        pool.connected(target);
        exchange.upstreamTarget(target.authority());
        return Future.succeededFuture(ar.result());
      }
      if (ar.cause() instanceof TimeoutException || ar.cause() instanceof ConnectionPoolTooBusyException) {
        metrics.upstreamError(pool.name(), UpstreamErrorKind.POOL_WAIT);
        return Future.failedFuture(
            new UpstreamFailure(Reason.OVERLOADED, false, "no pooled upstream connection in time"));
      }
      pool.connectFailed(target);
      metrics.upstreamError(pool.name(), UpstreamErrorKind.CONNECT);
      if (index + 1 < order.size()) return open(exchange, pool, order, index + 1, settings, method);
      String why = ar.cause() instanceof ConnectException ? "connection refused" : ar.cause().getClass().getSimpleName();
      return Future.failedFuture(new UpstreamFailure(Reason.UPSTREAM_UNAVAILABLE, false, why));
    });
  }
}
