package io.gatehouse.guard.lockout;

import io.gatehouse.config.RateLimitsConfig.Lockout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Failures counted in Redis, so failures spread over replicas add up; the replica whose count reaches the threshold
 * sets the ban and publishes it on {@link #CHANNEL} in the same script, and every replica's subscriber records it
 * in memory ({@link Lockouts#lockedOut}), so requests never wait on Redis to be checked. A replica that missed a
 * message (its subscription was down) reads every ban when it subscribes again, and learns of one at the next
 * failure it counts as well (the script answers with the time left). Only failures go to Redis: a good request's
 * path does not.
 */
final class RedisFailureCounter implements FailureCounter {
  private static final System.Logger LOG = System.getLogger(RedisFailureCounter.class.getName());
  static final String CHANNEL = "gatehouse:lockouts";
  static final String FAILURES = "gatehouse:lock:failures:";
  static final String BANS = "gatehouse:lock:ban:";
  private static final Duration RESUBSCRIBE = Duration.ofSeconds(1);

  /**
   * KEYS: failures, ban. ARGV: window ms, threshold, ban ms, the lockout key (for the message). Returns the ban's
   * milliseconds left: 0 when there is none. EVAL with the text each time: failures are rare next to requests, and
   * EVALSHA would need a fallback for a Redis that restarted and forgot the script.
   */
  private static final String COUNT = """
      local left = redis.call('PTTL', KEYS[2])
      if left > 0 then return left end
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      if n < tonumber(ARGV[2]) then return 0 end
      redis.call('DEL', KEYS[1])
      redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
      redis.call('PUBLISH', KEYS[3], ARGV[4] .. ' ' .. ARGV[3])
      return tonumber(ARGV[3])
      """;

  private final Vertx vertx;
  private final Redis commands;
  private final RedisAPI api;
  private final Supplier<Redis> subscriberClients;
  private final Lockout lockout;
  private final Duration timeout;
  /** Told of every ban any replica starts: the key and its length. */
  private final BiConsumer<String, Duration> banned;
  private Redis subscriberClient;
  private volatile boolean closed;

  /**
   * @param commands a pooled client for the scripts
   * @param subscriberClients makes the client of the one subscriber connection (again after it is lost)
   */
  RedisFailureCounter(Vertx vertx, Redis commands, Supplier<Redis> subscriberClients, Lockout lockout,
      Duration timeout, BiConsumer<String, Duration> banned) {
    this.vertx = vertx;
    this.commands = commands;
    this.api = RedisAPI.api(commands);
    this.subscriberClients = subscriberClients;
    this.lockout = lockout;
    this.timeout = timeout;
    this.banned = banned;
    vertx.runOnContext(v -> subscribe());
  }

  @Override
  public Future<Duration> failed(String key) {
    return api.eval(List.of(COUNT, "3", FAILURES + key, BANS + key, CHANNEL,
            Long.toString(Math.max(1, lockout.within().toMillis())), Integer.toString(lockout.failures()),
            Long.toString(Math.max(1, lockout.ban().toMillis())), key))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .map(reply -> Duration.ofMillis(Math.max(0, reply.toLong())));
  }

  private void subscribe() {
    if (closed) return;
    Redis client = subscriberClients.get();
    subscriberClient = client;
    client.connect()
        .timeout(timeout.toMillis() * 4, TimeUnit.MILLISECONDS)
        .compose(connection -> {
          connection.handler(this::onPush);
          connection.exceptionHandler(e -> lost(client, e));
          connection.endHandler(v -> lost(client, null));
          return connection.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL))
              .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        })
        .onSuccess(ok -> catchUp("0"))
        .onFailure(e -> lost(client, e));
  }

  /**
   * Reads the bans that exist now, a page at a time: those started while this replica was not subscribed (at start,
   * or while Redis or the network was down) would otherwise reach it only at its next counted failure.
   */
  private void catchUp(String cursor) {
    if (closed) return;
    api.scan(List.of(cursor, "MATCH", BANS + "*", "COUNT", "1000"))
        .timeout(timeout.toMillis() * 4, TimeUnit.MILLISECONDS)
        .onSuccess(page -> {
          for (Response name : page.get(1)) {
            String key = name.toString(StandardCharsets.UTF_8);
            api.pttl(key).onSuccess(left -> {
              if (left != null && left.toLong() > 0) {
                banned.accept(key.substring(BANS.length()), Duration.ofMillis(left.toLong()));
              }
            });
          }
          String next = page.get(0).toString();
          if (!next.equals("0")) catchUp(next);
        })
        .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "lockout: reading the shared store''s lockouts after"
            + " subscribing failed ({0})", e.getClass().getSimpleName()));
  }

  private void lost(Redis client, Throwable cause) {
    if (closed || client != subscriberClient) return;
    subscriberClient = null;
    client.close();
    LOG.log(System.Logger.Level.WARNING, "lockout: the shared store''s subscription is down ({0}); retrying in {1}"
        + " ms; lockouts started by other replicas meanwhile are read when it is back",
        cause == null ? "connection closed" : cause.getClass().getSimpleName(), RESUBSCRIBE.toMillis());
    vertx.setTimer(RESUBSCRIBE.toMillis(), id -> subscribe());
  }

  /** {@code ["message", channel, "KEY MILLIS"]}. */
  private void onPush(Response push) {
    if (push == null || push.size() < 3 || !"message".equals(push.get(0).toString())) return;
    String message = push.get(2).toString(StandardCharsets.UTF_8);
    int space = message.lastIndexOf(' ');
    if (space <= 0) return;
    try {
      banned.accept(message.substring(0, space), Duration.ofMillis(Long.parseLong(message.substring(space + 1))));
    } catch (NumberFormatException e) {
      LOG.log(System.Logger.Level.WARNING, "lockout: ignored a malformed message on " + CHANNEL);
    }
  }

  @Override
  public Future<Void> close() {
    closed = true;
    Redis subscriber = subscriberClient;
    if (subscriber != null) subscriber.close();
    return commands.close();
  }
}
