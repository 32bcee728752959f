package io.gatehouse.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cuts HTTP/1.x clients that take longer than {@code request_header} to send a request's line and headers
 * (slowloris). The idle timeout alone does not: a client dribbling one byte every few seconds is never idle.
 * Armed when a connection opens and again after each response, disarmed when the next request's headers
 * have arrived.
 */
final class HeaderTimeouts {
  private final Vertx vertx;
  private final long timeoutMillis;
  private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();

  HeaderTimeouts(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeoutMillis = timeout.toMillis();
  }

  void arm(HttpConnection connection) {
    long id = vertx.setTimer(timeoutMillis, t -> {
      if (timers.remove(connection, t)) connection.close();
    });
    Long previous = timers.put(connection, id);
    if (previous != null) vertx.cancelTimer(previous);
  }

  void disarm(HttpConnection connection) {
    Long id = timers.remove(connection);
    if (id != null) vertx.cancelTimer(id);
  }
}
