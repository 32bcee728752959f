package io.gatehouse.server;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Verdict;
import io.gatehouse.http.ClientRequest;
import io.gatehouse.http.ClientResponse;
import io.vertx.core.Future;

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
    return send(exchange, new Verdict.Refuse(reason), closeConnection);
  }

  /** Sends a guard's refusal: its status and headers, or for a redirect only those (no body to render). */
  Future<Void> send(Exchange exchange, Verdict.Refuse refusal, boolean closeConnection) {
    ClientRequest request = exchange.request();
    ClientResponse response = request.response();
    Reason reason = refusal.reason();
    exchange.reason(reason);
    exchange.status(refusal.status());
    if (reason == Reason.CLIENT_CLOSED) {
      // Nobody is listening: record it and answer nothing. An HTTP/1.x connection is closed to be sure; an HTTP/2
      // stream was reset by the client, and its connection's other streams are none of this one's business.
      if (!request.protocol().isHttp2()) request.closeConnection();
      return Future.succeededFuture();
    }
    if (response.headWritten()) {
      response.reset();
      return Future.succeededFuture();
    }
    response.status(refusal.status());
    response.headers().remove("Content-Length");
    response.headers().set("Cache-Control", "no-store");
    // What earlier guards passed on for the response (a refreshed cookie) and what this refusal needs.
    exchange.responseHeaders().addTo(response.headers()::add);
    refusal.headers().addTo(response.headers()::add);
    // CONTRACT.md promises a Retry-After with these; their guards give the real wait, this is a floor.
    boolean waits = reason == Reason.RATE_LIMITED || reason == Reason.LOCKED_OUT || reason == Reason.STORE_UNAVAILABLE;
    if (waits && !response.headers().contains("Retry-After")) {
      response.headers().set("Retry-After", "1");
    }
    if (reason == Reason.OVERLOADED || reason == Reason.AUDIT_UNAVAILABLE) {
      response.headers().set("Retry-After", OVERLOADED_RETRY_AFTER);
    }
    boolean h1 = !request.protocol().isHttp2();
    if (closeConnection && h1) {
      ClientStream.of(request).connection.markClosing();
      // Http1Stream closes the connection once this is written.
      response.headers().set("Connection", "close");
    }
    String body;
    if (refusal.isRedirect()) {
      body = "";
    } else if (wantsHtml(request)) {
      response.headers().set("Content-Type", "text/html; charset=utf-8");
      body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + refusal.status() + "</title></head>"
          + "<body><h1>Request refused</h1><p>Reason: <code>" + reason.code() + "</code></p>"
          // A fixed sentence of the gateway's own (no request or identity data), so it needs no escaping.
          + (exchange.publicNote() == null ? "" : "<p>" + exchange.publicNote() + "</p>")
          + "<p>Request id: <code>" + exchange.requestId() + "</code></p></body></html>\n";
    } else {
      response.headers().set("Content-Type", "application/json");
      // Both values are from fixed alphabets (enum codes, RequestIds.ACCEPTED), so no JSON escaping is needed.
      body = "{\"error\":\"" + reason.code() + "\",\"request_id\":\"" + exchange.requestId() + "\"}";
    }
    exchange.addBytesOut(body.length());
    return response.end(body);
  }

  /** A browser navigation asks for HTML; fetch/XHR, curl and webhook senders get JSON. */
  private static boolean wantsHtml(ClientRequest request) {
    // A browser says what a request is for: only a navigation shows a page; fetch/XHR get JSON whatever they accept.
    String mode = request.headers().get("Sec-Fetch-Mode");
    if (mode != null) return mode.equalsIgnoreCase("navigate");
    String accept = request.headers().get("Accept");
    if (accept == null || !accept.contains("text/html")) return false;
    String requestedWith = request.headers().get("X-Requested-With");
    return requestedWith == null;
  }
}
