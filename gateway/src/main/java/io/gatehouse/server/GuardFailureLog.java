package io.gatehouse.server;

import io.gatehouse.core.Exchange;

/**
 * Logs guards that failed instead of deciding (a bug, an exhausted resource), at most one line per guard and route
 * every ten seconds ({@link ThrottledLog}). The line names the guard, route, request id and exception class and where
 * it was thrown; never the exception's message, which may quote a request or a secret.
 */
final class GuardFailureLog {
  private final ThrottledLog log = new ThrottledLog(System.getLogger(GuardFailureLog.class.getName()));

  void report(String route, String requestId, Exchange.GuardFailure failure) {
    Throwable cause = failure.cause();
    StackTraceElement[] trace = cause.getStackTrace();
    String where = trace.length == 0 ? "unknown" : trace[0].toString();
    log.log(failure.guard() + "|" + route, System.Logger.Level.ERROR, suppressed -> "guard " + failure.guard()
        + " failed on route " + route + ", request " + requestId + ": " + cause.getClass().getName() + " at " + where
        + " (" + suppressed + " more not logged in the last 10 s)");
  }
}
