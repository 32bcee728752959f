package io.gatehouse.forward;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.admin.UpstreamErrorKind;
import io.gatehouse.guard.Reason;
import io.gatehouse.route.Exchange;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.util.List;

/**
 * Opens the upstream request for an exchange: tries the pool's targets in order while a connection is refused
 * (nothing was sent yet, so the next target is safe to try), tells the pool which targets answered for its
 * passive health, and fails with {@link UpstreamFailure} when none did.
 */
final class UpstreamConnector {
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
        .setConnectTimeout(settings.connectTimeout().toMillis());
    return clients.current().request(options).transform(ar -> {
      if (ar.succeeded()) {
        pool.connected(target);
        exchange.upstreamTarget(target.authority());
        return Future.succeededFuture(ar.result());
      }
      pool.connectFailed(target);
      metrics.upstreamError(pool.name(), UpstreamErrorKind.CONNECT);
      if (index + 1 < order.size()) return open(exchange, pool, order, index + 1, settings, method);
      String why = ar.cause() instanceof ConnectException ? "connection refused" : ar.cause().getClass().getSimpleName();
      return Future.failedFuture(new UpstreamFailure(Reason.UPSTREAM_UNAVAILABLE, false, why));
    });
  }
}
