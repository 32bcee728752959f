package io.gatehouse.guard.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.gatehouse.config.RedisConfig;
import io.gatehouse.redis.LoopConnections;
import io.gatehouse.redis.RedisOutageLog;
import io.gatehouse.redis.WarmUp;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Buckets shared by every replica, in Redis: one {@code EVALSHA} of {@code take-tokens.lua} per check, which reads,
 * decides and writes every bucket of the request atomically on the server, with the server's clock (replicas'
 * clocks never have to agree).
 *
 * <p>Why not bucket4j's own Redis integration: in 8.14 it is compare-and-swap over Lettuce, a read and a conditional
 * write, so at least two round trips per check and more under contention (two replicas taking from one bucket retry
 * each other's swaps), and it would bring a second Redis client beside Vert.x's. The goal is at most one round trip
 * per checked request, which a server-side script meets by construction; the script keeps the same bucket bucket4j
 * keeps locally (greedy refill), so a route behaves the same on either store.
 *
 * <p>While Redis is down, calls fail fast or after {@code timeout}, and the route's {@code on_store_failure} applies;
 * when it is back, the next call on each event loop connects again ({@link LoopConnections}). A Redis that lost its
 * script cache (a restart) answers NOSCRIPT once, and the script is sent again in full. An outage is logged when it
 * starts and when it ends ({@link RedisOutageLog}), never per call.
 */
public final class RedisBucketStore implements BucketStore {
  private static final System.Logger LOG = System.getLogger(RedisBucketStore.class.getName());
  /** Every key this store writes starts with it, so a Redis shared with the replay store stays readable. */
  static final String NAMESPACE = "gatehouse:rl:";
  private static final String SCRIPT = loadScript();
  private static final String SCRIPT_SHA = sha1(SCRIPT);

  private final Vertx vertx;
  private final LoopConnections redis;
  private final long timeoutMillis;
  /** Completes once the first connection is up or failed ({@link WarmUp}). */
  private final Future<Void> warm;
  private final RedisOutageLog outages;

  /**
   * @param redis the configured Redis's connections (TLS and ACL user already set); closed with this store
   * @param config that Redis, for log lines (its host and port only)
   * @param timeout one call slower than this counts as the store being down
   */
  public RedisBucketStore(Vertx vertx, LoopConnections redis, RedisConfig config, Duration timeout) {
    this.vertx = vertx;
    this.redis = redis;
    this.outages = new RedisOutageLog(LOG, "rate-limit store", config);
    this.timeoutMillis = Math.max(1, timeout.toMillis());
    this.warm = WarmUp.of(vertx, redis.send(Request.cmd(Command.PING)));
  }

  @Override
  public Future<Decision> take(List<LimitPolicy> policies, List<String> keys) {
    return warm.isComplete() ? call(policies, keys) : warm.compose(v -> call(policies, keys));
  }

  private Future<Decision> call(List<LimitPolicy> policies, List<String> keys) {
    Promise<Decision> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis,
        id -> result.tryFail(new TimeoutException("redis did not answer within " + timeoutMillis + " ms")));
    redis.send(script(Command.EVALSHA, SCRIPT_SHA, policies, keys)).recover(failure -> {
      if (failure.getMessage() == null || !failure.getMessage().startsWith("NOSCRIPT")) {
        return Future.failedFuture(failure);
      }
      return redis.send(script(Command.EVAL, SCRIPT, policies, keys));
    }).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        result.tryFail(ar.cause());
        return;
      }
      try {
        result.tryComplete(decision(ar.result(), policies));
      } catch (RuntimeException e) {
        result.tryFail(e);
      }
    });
    return result.future().onComplete(ar -> {
      if (ar.succeeded()) outages.answered();
      else outages.failed(ar.cause(), "routes follow their on_store_failure");
    });
  }

  /** {@code EVALSHA sha N key… (micros-per-token burst)…}, or {@code EVAL} with the script's text. */
  private static Request script(Command command, String script, List<LimitPolicy> policies, List<String> keys) {
    Request request = Request.cmd(command).arg(script).arg(policies.size());
    for (int i = 0; i < policies.size(); i++) {
      LimitPolicy policy = policies.get(i);
      request.arg(NAMESPACE + policy.route() + ':' + policy.name() + ':' + keys.get(i));
    }
    for (LimitPolicy policy : policies) request.arg(Double.toString(policy.microsPerToken())).arg(policy.burst());
    return request;
  }

  private static Decision decision(Response reply, List<LimitPolicy> policies) {
    boolean allowed = reply.get(0).toLong() == 1;
    LimitPolicy policy = policies.get(reply.get(1).toInteger() - 1);
    return new Decision(allowed, policy, reply.get(2).toLong(), reply.get(3).toLong() * 1000,
        reply.get(4).toLong() * 1000);
  }

  @Override
  public String name() {
    return "redis";
  }

  /** Not known here: Redis holds them (its own {@code DBSIZE}); -1 tells the gauge to show nothing. */
  @Override
  public long size() {
    return -1;
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  private static String loadScript() {
    try (InputStream in = RedisBucketStore.class.getResourceAsStream("take-tokens.lua")) {
      if (in == null) throw new IllegalStateException("take-tokens.lua is missing from the jar");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      // Redis names a cached script by the SHA-1 of its text: an identifier, not a security function.
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
