package io.gatehouse.server;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.LocalAnswer;
import io.gatehouse.http.ClientRequest;
import io.gatehouse.http.ClientResponse;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;

/** Writes the answer of one of Gatehouse's own endpoints ({@code /_gatehouse/...}). */
final class LocalAnswerWriter {
  /** @param closeConnection the request's body is unread: an HTTP/1.x connection closes after the answer */
  Future<Void> send(Exchange exchange, LocalAnswer.Response answer, boolean closeConnection) {
    ClientRequest request = exchange.request();
    ClientResponse response = request.response();
    exchange.status(answer.status());
    response.status(answer.status());
    // Sessions, tokens and identities: nothing of these answers may be cached anywhere.
    response.headers().set("Cache-Control", "no-store");
    exchange.responseHeaders().addTo(response.headers()::add);
    answer.headers().addTo(response.headers()::add);
    if (answer.contentType() != null) response.headers().set("Content-Type", answer.contentType());
    if (closeConnection && !request.protocol().isHttp2()) {
      ClientStream.of(request).connection.markClosing();
      response.headers().set("Connection", "close");
    }
    exchange.addBytesOut(answer.body().length);
    return response.end(Unpooled.wrappedBuffer(answer.body()));
  }
}
