package io.gatehouse.core;

/**
 * Learns from every finished exchange (the lockout counts failed authentications, the anomaly detectors watch for
 * abuse). Called on the event loop that finished the exchange, once per exchange: an implementation returns at once
 * and does any real work on a thread of its own.
 */
public interface ExchangeObserver {
  ExchangeObserver NONE = outcome -> {};

  void completed(ExchangeOutcome outcome);
}
