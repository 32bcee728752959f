package io.gatehouse.server;

import io.vertx.core.http.HttpConnection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP/1.x connections the gateway has decided to close after a refusal. Vert.x still dispatches requests it
 * had already decoded from such a connection (with a smuggled body, those are the attacker's second request),
 * so every later request on a connection in this set is dropped unanswered.
 */
final class ClosingConnections {
  private final Set<HttpConnection> closing = ConcurrentHashMap.newKeySet();

  void mark(HttpConnection connection) {
    if (closing.add(connection)) connection.closeHandler(v -> closing.remove(connection));
  }

  boolean contains(HttpConnection connection) {
    return closing.contains(connection);
  }
}
