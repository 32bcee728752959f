package io.gatehouse.server;

import io.gatehouse.route.Exchange;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs guards that failed instead of deciding (a bug, an exhausted resource), at most one line per guard and route
 * every {@link #EVERY_NANOS}, with how many were left out since: a failing guard on a busy route must not flood the log
 * it is reported in. The line names the guard, route, request id and exception class and where it was thrown; never
 * the exception's message, which may quote a request or a secret.
 */
final class GuardFailureLog {
  private static final System.Logger LOG = System.getLogger(GuardFailureLog.class.getName());
  private static final long EVERY_NANOS = 10_000_000_000L;

  /** Per guard and route: when the last line was written, and how many failures were not logged since. */
  private static final class Window {
    long loggedAt;
    final AtomicLong suppressed = new AtomicLong();
  }

  /** Bounded by the guard classes times the configured routes. */
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  void report(String route, String requestId, Exchange.GuardFailure failure) {
    String key = failure.guard() + "|" + route;
    Window window = windows.computeIfAbsent(key, k -> new Window());
    long now = System.nanoTime();
    long suppressed;
    synchronized (window) {
      if (window.loggedAt != 0 && now - window.loggedAt < EVERY_NANOS) {
        window.suppressed.incrementAndGet();
        return;
      }
      window.loggedAt = now;
      suppressed = window.suppressed.getAndSet(0);
    }
    Throwable cause = failure.cause();
    StackTraceElement[] trace = cause.getStackTrace();
    String where = trace.length == 0 ? "unknown" : trace[0].toString();
    LOG.log(System.Logger.Level.ERROR, "guard {0} failed on route {1}, request {2}: {3} at {4} ({5} more not logged in"
        + " the last 10 s)", failure.guard(), route, requestId, cause.getClass().getName(), where, suppressed);
  }
}
