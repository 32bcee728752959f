package io.gatehouse.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongFunction;

/**
 * At most one log line per key every ten seconds, saying how many like it were left out since: a failure that repeats
 * on a busy gateway (a failing guard, a flood of refused connections) must not flood the log it is reported in. Keys
 * come from bounded sets (guard classes and route names, limit names).
 */
final class ThrottledLog {
  private static final long EVERY_NANOS = 10_000_000_000L;

  private final System.Logger log;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  /** When the last line for a key was written, and how many were not written since. */
  private static final class Window {
    long loggedAt;
    long suppressed;
  }

  ThrottledLog(System.Logger log) {
    this.log = log;
  }

  /** Logs {@code line.apply(suppressedSinceLastLine)} unless a line for {@code key} was written in the last 10 s. */
  void log(String key, System.Logger.Level level, LongFunction<String> line) {
    Window window = windows.computeIfAbsent(key, k -> new Window());
    long now = System.nanoTime();
    long suppressed;
    synchronized (window) {
      if (window.loggedAt != 0 && now - window.loggedAt < EVERY_NANOS) {
        window.suppressed++;
        return;
      }
      window.loggedAt = now;
      suppressed = window.suppressed;
      window.suppressed = 0;
    }
    log.log(level, line.apply(suppressed));
  }
}
