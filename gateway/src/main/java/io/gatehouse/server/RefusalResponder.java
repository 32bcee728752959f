package io.gatehouse.server;

import io.gatehouse.guard.Reason;
import io.gatehouse.route.Exchange;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * Writes the gateway's own answers: JSON {@code {"error": CODE, "request_id": ID}} for API, webhook and XHR
 * callers, a small HTML page for browsers. Only the stable code goes out; the detail stays in the audit log.
 */
final class RefusalResponder {
  /** Seconds a client is asked to wait after 503 overloaded: long enough for bodies in memory to drain. */
  private static final String OVERLOADED_RETRY_AFTER = "5";

  /**
   * Sends the refusal and, when {@code closeConnection} (an unread request body would otherwise be read as the
   * next request), closes an HTTP/1.x connection after it.
   */
  Future<Void> send(Exchange exchange, Reason reason, boolean closeConnection) {
    HttpServerRequest request = exchange.request();
    HttpServerResponse response = request.response();
    exchange.reason(reason);
    exchange.status(reason.status());
    if (reason == Reason.CLIENT_CLOSED) {
      // Nobody is listening: record it and answer nothing. An HTTP/1.x connection is closed to be sure; an HTTP/2
      // stream was reset by the client, and its connection's other streams are none of this one's business.
      if (request.version() != HttpVersion.HTTP_2) request.connection().close();
      return Future.succeededFuture();
    }
    if (response.headWritten()) {
      response.reset();
      return Future.succeededFuture();
    }
    response.setStatusCode(reason.status());
    response.headers().remove("Content-Length");
    response.putHeader("Cache-Control", "no-store");
    if (reason == Reason.RATE_LIMITED && !response.headers().contains("Retry-After")) {
      response.putHeader("Retry-After", "1");
    }
    if (reason == Reason.OVERLOADED) response.putHeader("Retry-After", OVERLOADED_RETRY_AFTER);
    boolean h1 = request.version() != HttpVersion.HTTP_2;
    if (closeConnection && h1) {
      ClientConnection.of(request.connection()).markClosing();
      response.putHeader("Connection", "close");
    }
    String body;
    if (wantsHtml(request)) {
      response.putHeader("Content-Type", "text/html; charset=utf-8");
      body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + reason.status() + "</title></head>"
          + "<body><h1>Request refused</h1><p>Reason: <code>" + reason.code() + "</code></p>"
          + "<p>Request id: <code>" + exchange.requestId() + "</code></p></body></html>\n";
    } else {
      response.putHeader("Content-Type", "application/json");
      // Both values are from fixed alphabets (enum codes, RequestIds.ACCEPTED), so no JSON escaping is needed.
      body = "{\"error\":\"" + reason.code() + "\",\"request_id\":\"" + exchange.requestId() + "\"}";
    }
    exchange.addBytesOut(body.length());
    Future<Void> ended = response.end(body);
    if (closeConnection && h1) ended.onComplete(v -> request.connection().close());
    return ended;
  }

  /** A browser navigation asks for HTML; fetch/XHR, curl and webhook senders get JSON. */
  private static boolean wantsHtml(HttpServerRequest request) {
    String accept = request.getHeader("Accept");
    if (accept == null || !accept.contains("text/html")) return false;
    String requestedWith = request.getHeader("X-Requested-With");
    return requestedWith == null;
  }
}
