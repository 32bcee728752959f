package io.gatehouse.core;

import io.vertx.core.Future;

/**
 * One of Gatehouse's own endpoints under {@code /_gatehouse/} (the login callback, logout, whoami): answered by the
 * gateway itself, never forwarded. It decides the answer; the server writes it, records the exchange and applies
 * the exchange's response headers, as for any other answer.
 */
public interface LocalEndpoint {
  /** Never blocks; a failed future is answered 500 {@code guard_error}, as a guard's failure is. */
  Future<LocalAnswer> serve(Exchange exchange);
}
