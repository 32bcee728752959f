package io.gatehouse.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Cuts HTTP/1.x clients that take longer than {@code request_header} to send a request's line and headers
 * (slowloris). The idle timeout alone does not: a client dribbling one byte every few seconds is never idle.
 * A connection starts waiting when it opens and again after each response, and stops when the next request's
 * headers have arrived.
 *
 * <p>One timer per connection, re-armed lazily: starting or stopping to wait only records the time, and the
 * timer, when it fires, closes the connection if it has been waiting for the whole deadline or sleeps for what is
 * left. Arming and cancelling a Vert.x timer around every request instead cost about 3% of the event loops' time
 * on a busy keep-alive connection. Every call for one connection comes from its event loop, so a {@link Clock}
 * is only touched by that thread.
 */
final class HeaderTimeouts {
  private static final long NOT_WAITING = Long.MIN_VALUE;

  private final Vertx vertx;
  private final long timeoutNanos;
  private final Map<HttpConnection, Clock> clocks = new ConcurrentHashMap<>();

  HeaderTimeouts(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeoutNanos = timeout.toNanos();
  }

  /** The connection now waits for a request's head: it has {@code request_header} from now to send it. */
  void arm(HttpConnection connection) {
    Clock clock = clocks.computeIfAbsent(connection, c -> new Clock());
    clock.waitingSince = System.nanoTime();
    if (!clock.timerPending) schedule(connection, clock, timeoutNanos);
  }

  /** A request's head has arrived: the connection no longer waits. */
  void disarm(HttpConnection connection) {
    Clock clock = clocks.get(connection);
    if (clock != null) clock.waitingSince = NOT_WAITING;
  }

  /** The connection has closed: forget it (a pending timer then finds nothing to do). */
  void forget(HttpConnection connection) {
    clocks.remove(connection);
  }

  private void schedule(HttpConnection connection, Clock clock, long delayNanos) {
    clock.timerPending = true;
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos));
    vertx.setTimer(millis, id -> expire(connection, clock));
  }

  private void expire(HttpConnection connection, Clock clock) {
    clock.timerPending = false;
    if (clocks.get(connection) != clock || clock.waitingSince == NOT_WAITING) return;
    long waited = System.nanoTime() - clock.waitingSince;
    if (waited >= timeoutNanos) {
      clocks.remove(connection);
      connection.close();
    } else {
      schedule(connection, clock, timeoutNanos - waited);
    }
  }

  /** One connection's wait for a request head. */
  private static final class Clock {
    long waitingSince = NOT_WAITING;
    boolean timerPending;
  }
}
