package io.gatehouse.guard.replay;

import io.gatehouse.config.RedisConfig;
import io.gatehouse.redis.RedisClients;
import io.gatehouse.redis.RedisOutageLog;
import io.gatehouse.redis.WarmUp;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The replay store shared by every replica (DESIGN.md §5): one {@code SET key 1 NX PX ttl} per delivery, which
 * records the key and says whether it was new in one atomic step, so two replicas receiving the same delivery at
 * once cannot both let it through.
 *
 * <p>Built on vertx-redis-client's pooled client, which opens a connection when a command needs one and drops a
 * connection that broke: when Redis stops, calls fail fast (connection refused) or after {@code timeout}; when it
 * comes back, the next call connects again, with no restart and no reconnect loop of our own. TLS and the ACL login
 * are {@link RedisClients}'s; an outage is logged once, when it starts ({@link RedisOutageLog}).
 */
public final class RedisReplayStore implements ReplayStore {
  private static final System.Logger LOG = System.getLogger(RedisReplayStore.class.getName());
  /** Every key this store writes starts with it, so a Redis shared with the rate limiter stays readable. */
  static final String NAMESPACE = "gatehouse:replay:";
  /** Enough for a burst of webhooks without queueing long: each SET holds a connection for about one RTT. */
  static final int MAX_CONNECTIONS = 16;

  private final Vertx vertx;
  private final Redis redis;
  private final RedisAPI api;
  private final Duration timeout;
  private final RedisOutageLog outages;
  /** Completes once the first connection is up or failed ({@link WarmUp}). */
  private final Future<Void> warm;
  private static final String MEANWHILE = "signed webhooks follow their route's replay_store_down until it answers";

  /**
   * @param config where Redis is and how to log in; its URL and password are never logged
   * @param timeout one call slower than this counts as the store being down
   */
  public RedisReplayStore(Vertx vertx, RedisConfig config, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
    this.outages = new RedisOutageLog(LOG, "replay store", config);
    this.redis = RedisClients.create(vertx, config, timeout, MAX_CONNECTIONS);
    this.api = RedisAPI.api(redis);
    this.warm = WarmUp.of(vertx, api.ping(List.of()).onFailure(e -> outages.failed(e, MEANWHILE)));
  }

  @Override public Future<Boolean> firstSeen(String key, Duration ttl) {
    return warm.isComplete() ? set(key, ttl) : warm.compose(v -> set(key, ttl));
  }

  private Future<Boolean> set(String key, Duration ttl) {
    Promise<Boolean> result = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
      TimeoutException late = new TimeoutException("redis did not answer within " + timeout.toMillis() + " ms");
      if (result.tryFail(late)) outages.failed(late, MEANWHILE);
    });
    String ttlMillis = Long.toString(Math.max(1, ttl.toMillis()));
    api.set(List.of(NAMESPACE + key, "1", "NX", "PX", ttlMillis)).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        outages.failed(ar.cause(), MEANWHILE);
        result.tryFail(ar.cause());
        return;
      }
      outages.answered();
      // NX: "OK" when the key was set, a nil reply when it already existed.
      boolean first = ar.result() != null;
      if (!result.tryComplete(first) && first) {
        // The answer came after the timeout, so the delivery was already handled as "store down" (refused, or let
        // through unchecked). Undo the record, or the sender's retry of a refused delivery would be a "replay".
        forget(key);
      }
    });
    return result.future();
  }

  @Override public Future<Void> forget(String key) {
    return api.del(List.of(NAMESPACE + key)).<Void>mapEmpty().onFailure(e ->
        LOG.log(System.Logger.Level.DEBUG, "could not forget a replay key: {0}", e.getClass().getSimpleName()));
  }

  @Override public String name() {
    return "redis";
  }

  @Override public Future<Void> close() {
    return redis.close();
  }
}
