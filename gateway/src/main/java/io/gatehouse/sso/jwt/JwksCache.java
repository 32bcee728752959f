package io.gatehouse.sso.jwt;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The issuer's keys as last fetched, and the one rule for fetching again: a token with an unknown {@code kid} may
 * cause at most one fetch per {@link #MISS_REFETCH_INTERVAL} for the whole gateway, and misses while a fetch is under
 * way wait for that fetch. So a flood of tokens with made-up kids costs the IdP one request per 30 s, and a key the
 * IdP has just rotated in is picked up on its first use.
 *
 * <p>A failed fetch, or one that returns no usable key, keeps the previous keys: an IdP hiccup must not log every
 * API client out. Thread-safe: the key set is swapped atomically, the fetch bookkeeping is under this object's lock.
 */
final class JwksCache {
  static final Duration MISS_REFETCH_INTERVAL = Duration.ofSeconds(30);
  private static final System.Logger LOG = System.getLogger(JwksCache.class.getName());

  private final JwksSource source;
  private final Clock clock;
  private volatile KeySet keys = KeySet.EMPTY;
  /** The fetch under way, or null. Guarded by {@code this}. */
  private Future<KeySet> inFlight;
  /** When the last fetch started, or null before the first. Guarded by {@code this}. */
  private Instant lastFetchStarted;

  JwksCache(JwksSource source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  KeySet current() {
    return keys;
  }

  /** Fetches now (or joins the fetch under way), whatever the interval; for startup and a caller's timer. */
  synchronized Future<KeySet> refresh() {
    return inFlight != null ? inFlight : startFetch();
  }

  /**
   * The keys to look a missed {@code kid} up in again: after the fetch under way, after a new fetch when none ran in
   * the last 30 s, or else the current keys at once.
   */
  synchronized Future<KeySet> afterMiss() {
    if (inFlight != null) return inFlight;
    if (lastFetchStarted != null && clock.instant().isBefore(lastFetchStarted.plus(MISS_REFETCH_INTERVAL))) {
      return Future.succeededFuture(keys);
    }
    return startFetch();
  }

  /** Called with the lock held. */
  private Future<KeySet> startFetch() {
    lastFetchStarted = clock.instant();
    Promise<KeySet> done = Promise.promise();
    inFlight = done.future();
    Future<List<JsonWebKey>> fetch;
    try {
      fetch = source.fetch();
    } catch (RuntimeException e) {
      fetch = Future.failedFuture(e);
    }
    fetch.onComplete(ar -> {
      if (ar.succeeded() && !ar.result().isEmpty()) {
        keys = new KeySet(ar.result());
      } else if (ar.succeeded()) {
        LOG.log(System.Logger.Level.WARNING, "the JWKS held no usable key; keeping the {0} cached", keys.size());
      } else {
        LOG.log(System.Logger.Level.WARNING, "could not fetch the JWKS ({0}); keeping the {1} keys cached",
            ar.cause().getClass().getSimpleName(), keys.size());
      }
      KeySet now = keys;
      synchronized (this) {
        inFlight = null;
      }
      done.complete(now);
    });
    return done.future();
  }
}
