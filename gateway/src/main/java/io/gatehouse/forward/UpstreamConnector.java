package io.gatehouse.forward;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.admin.UpstreamErrorKind;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.Reason;
import io.gatehouse.upstream.PoolWaitTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * Opens the upstream side of an exchange: tries the pool's targets in order while a connection is refused (nothing
 * was sent yet, so the next target is safe to try), tells the pool which targets answered for its passive health,
 * and fails with {@link UpstreamFailure} when none did. What "open" means is the caller's: a pooled connection of the
 * gateway's own client for HTTP, a Vert.x client request for a WebSocket handshake.
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

  /** Opens one target, waiting at most the given time for a pooled connection. */
  interface Opener<T> extends BiFunction<UpstreamTarget, Duration, Future<T>> {}

  private final GatewayMetrics metrics;

  UpstreamConnector(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  <T> Future<T> open(Exchange exchange, UpstreamPool pool, ForwardSettings settings, Opener<T> opener) {
    Duration poolWait = settings.connectTimeout().multipliedBy(POOL_WAIT_FACTOR);
    return open(exchange, pool, pool.attemptOrder(), 0, poolWait, opener);
  }

  private <T> Future<T> open(Exchange exchange, UpstreamPool pool, List<UpstreamTarget> order, int index,
      Duration poolWait, Opener<T> opener) {
    UpstreamTarget target = order.get(index);
    return opener.apply(target, poolWait).transform(ar -> {
      if (ar.succeeded()) {
        pool.connected(target);
        exchange.upstreamTarget(target.authority());
        return Future.succeededFuture(ar.result());
      }
      if (isPoolWait(ar.cause())) {
        metrics.upstreamError(pool.name(), UpstreamErrorKind.POOL_WAIT);
        return Future.failedFuture(
            new UpstreamFailure(Reason.OVERLOADED, false, "no pooled upstream connection in time"));
      }
      pool.connectFailed(target);
      metrics.upstreamError(pool.name(), UpstreamErrorKind.CONNECT);
      if (index + 1 < order.size()) return open(exchange, pool, order, index + 1, poolWait, opener);
      String why = ar.cause() instanceof ConnectException ? "connection refused" : ar.cause().getClass().getSimpleName();
      return Future.failedFuture(new UpstreamFailure(Reason.UPSTREAM_UNAVAILABLE, false, why));
    });
  }

  /** Our pool's wait, or Vert.x's (its request timeout while queued, or a full wait queue). */
  private static boolean isPoolWait(Throwable cause) {
    return cause instanceof PoolWaitTimeoutException || cause instanceof TimeoutException
        || cause instanceof ConnectionPoolTooBusyException;
  }
}
