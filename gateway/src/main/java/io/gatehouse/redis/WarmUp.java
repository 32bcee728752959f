package io.gatehouse.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The first call to a Redis, given longer than any later one. The first connection of a fresh JVM loads the
 * client's classes and negotiates TLS and the protocol, which can take longer than a call's timeout on a busy
 * machine; a store waits for it (or for {@link #LIMIT}) before its first real call, so that call is not counted as
 * the store being down.
 */
public final class WarmUp {
  static final Duration LIMIT = Duration.ofSeconds(5);

  private WarmUp() {}

  /** Completes once {@code firstCall} completes, either way, or {@link #LIMIT} has passed. */
  public static Future<Void> of(Vertx vertx, Future<?> firstCall) {
    Promise<Void> warmed = Promise.promise();
    long limit = vertx.setTimer(LIMIT.toMillis(), id -> warmed.tryComplete());
    firstCall.onComplete(ar -> {
      vertx.cancelTimer(limit);
      warmed.tryComplete();
    });
    return warmed.future();
  }
}
