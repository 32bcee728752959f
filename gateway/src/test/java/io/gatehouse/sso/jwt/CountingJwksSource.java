package io.gatehouse.sso.jwt;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A JWKS source that counts its fetches; answers at once, or holds each fetch open until the test completes it. */
final class CountingJwksSource implements JwksSource {
  private final AtomicInteger fetches = new AtomicInteger();
  private final AtomicReference<List<JsonWebKey>> keys;
  private volatile boolean holding;
  private volatile Throwable failure;
  private final AtomicReference<Promise<List<JsonWebKey>>> held = new AtomicReference<>();

  CountingJwksSource(List<JsonWebKey> keys) {
    this.keys = new AtomicReference<>(List.copyOf(keys));
  }

  @Override public Future<List<JsonWebKey>> fetch() {
    fetches.incrementAndGet();
    if (failure != null) return Future.failedFuture(failure);
    if (holding) {
      Promise<List<JsonWebKey>> promise = Promise.promise();
      held.set(promise);
      return promise.future();
    }
    return Future.succeededFuture(keys.get());
  }

  int fetches() {
    return fetches.get();
  }

  /** What the IdP publishes from now on. */
  void publish(List<JsonWebKey> next) {
    keys.set(List.copyOf(next));
  }

  /** From now on fetches wait for {@link #releaseHeld()}. */
  void hold() {
    holding = true;
  }

  /** Answers the fetch being held with the published keys. */
  void releaseHeld() {
    holding = false;
    held.getAndSet(null).complete(keys.get());
  }

  void failWith(Throwable cause) {
    failure = cause;
  }
}
