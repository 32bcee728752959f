package io.gatehouse.sso.revocation;

import io.gatehouse.config.RedisConfig;
import io.gatehouse.redis.RedisClients;
import io.gatehouse.sso.session.Session;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Revocations shared by every replica through one Redis ({@code sso.session.revocations: redis}).
 *
 * <ul>
 *   <li>A revocation is a key that lives as long as a session can ({@code max_lifetime}) and a message on
 *       {@link #CHANNEL}, written by one script so no replica can see the message without the key.
 *   <li>Each replica holds one subscriber connection and records what arrives in its memory; requests never wait on
 *       Redis. When the subscription was down (Redis restarted, a network cut), messages were lost: on every
 *       (re)subscription the replica reads all revocation keys again, and each revalidation asks for its session's
 *       keys as well, so a missed logout still ends the session within {@code revalidate_every}.
 *   <li>A due revalidation first claims the session for a short hold ({@code SET NX PX}): the replica that gets it
 *       uses the refresh token, the others let the request through on the session as it is. So a refresh token is
 *       used once however many replicas a browser's parallel requests reach.
 * </ul>
 *
 * <p>Both the pooled command client and the subscriber connection are built by {@link RedisClients}, so they use
 * the same TLS and ACL login.
 *
 * <p>Not for Redis Cluster: a script's keys would fall in different slots. A single Redis or a primary with replicas.
 */
public final class RedisRevocationSharing implements RevocationSharing {
  private static final System.Logger LOG = System.getLogger(RedisRevocationSharing.class.getName());
  static final String CHANNEL = "gatehouse:revocations";
  static final String KEY_PREFIX = "gatehouse:revoked:";
  static final String CLAIM_PREFIX = "gatehouse:revalidating:";
  private static final Duration RESUBSCRIBE_FIRST = Duration.ofMillis(500);
  private static final Duration RESUBSCRIBE_AT_MOST = Duration.ofSeconds(10);
  private static final int SCAN_BATCH = 1000;
  /** Revocations are rare and a revalidation is one call per session per {@code revalidate_every}. */
  private static final int MAX_CONNECTIONS = 4;

  /**
   * Records the revocation and publishes it. A subject keeps the latest time it was revoked at: an older revocation
   * arriving late must not shorten it. EVAL with the script's text each time: revocations are rare, and EVALSHA
   * would need a fallback for a Redis that restarted and forgot the script.
   */
  private static final String SHARE = """
      if ARGV[1] == 'max' then
        local current = redis.call('GET', KEYS[1])
        if current and tonumber(current) >= tonumber(ARGV[2]) then
          return redis.call('PUBLISH', ARGV[4], ARGV[5])
        end
      end
      redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
      return redis.call('PUBLISH', ARGV[4], ARGV[5])
      """;

  /** Claims the revalidation and reads the session's revocation keys, in one round trip. */
  private static final String BEGIN_REVALIDATION = """
      local claimed = redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1])
      return { claimed and 1 or 0, redis.call('EXISTS', KEYS[2]), redis.call('EXISTS', KEYS[3]),
               redis.call('GET', KEYS[4]) or false }
      """;

  private final Vertx vertx;
  /** The subscriber's state below is confined to this context. */
  private final Context context;
  private final RedisConfig config;
  private final Redis commands;
  private final RedisAPI api;
  private final Duration keepFor;
  private final Duration timeout;
  private final Consumer<Revocation> received;
  private Redis subscriberClient;
  private RedisConnection subscriber;
  private Duration resubscribeIn = RESUBSCRIBE_FIRST;
  private boolean closed;

  /**
   * @param config where Redis is and how to log in; its URL and password are never logged
   * @param keepFor how long a revocation key lives: {@code max_lifetime}
   * @param timeout one call slower than this counts as Redis being down
   * @param received where revocations published by any replica (this one too) are recorded
   */
  public RedisRevocationSharing(Vertx vertx, RedisConfig config, Duration keepFor, Duration timeout,
      Consumer<Revocation> received) {
    this.vertx = vertx;
    this.keepFor = keepFor;
    this.timeout = timeout;
    this.received = received;
    this.config = config;
    this.commands = RedisClients.create(vertx, config, timeout, MAX_CONNECTIONS);
    this.api = RedisAPI.api(commands);
    this.context = vertx.getOrCreateContext();
    context.runOnContext(v -> subscribe());
  }

  @Override public Future<Void> share(Revocation revocation) {
    boolean subject = revocation.kind() == Revocation.Kind.SUBJECT;
    return api.eval(List.of(SHARE, "1", key(revocation.kind(), revocation.value()), subject ? "max" : "set",
            subject ? Long.toString(revocation.at().toEpochMilli()) : "1", Long.toString(keepFor.toMillis()),
            CHANNEL, revocation.toMessage()))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .mapEmpty();
  }

  @Override public Future<Revalidation> beginRevalidation(Session session, Duration hold) {
    String sessionKey = key(Revocation.Kind.SESSION, session.id());
    // A session without an IdP sid has nothing to find there: its own key stands in (a script's key count is fixed).
    String sidKey = session.idpSid() == null ? sessionKey : key(Revocation.Kind.IDP_SESSION, session.idpSid());
    return api.eval(List.of(BEGIN_REVALIDATION, "4", CLAIM_PREFIX + session.id(), sessionKey, sidKey,
            key(Revocation.Kind.SUBJECT, session.subject()), Long.toString(Math.max(1, hold.toMillis()))))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .map(reply -> {
          Instant now = Instant.now();
          List<Revocation> known = new ArrayList<>(3);
          if (reply.get(1).toInteger() == 1) known.add(Revocation.session(session.id(), now));
          if (session.idpSid() != null && reply.get(2).toInteger() == 1) {
            known.add(Revocation.idpSession(session.idpSid(), now));
          }
          Response subjectAt = reply.get(3);
          if (subjectAt != null) {
            known.add(Revocation.subject(session.subject(), Instant.ofEpochMilli(Long.parseLong(subjectAt.toString()))));
          }
          return new Revalidation(reply.get(0).toInteger() == 1, known);
        });
  }

  private static String key(Revocation.Kind kind, String value) {
    return KEY_PREFIX + kind.word + ":" + value;
  }

  /** Opens the subscriber connection; on any failure or loss, tries again after a growing pause. */
  private void subscribe() {
    if (closed) return;
    // A client of its own: a subscribed connection takes no other commands, so it must not come from the pool.
    Redis client = RedisClients.create(vertx, config, timeout, 1);
    subscriberClient = client;
    client.connect()
        .compose(connection -> {
          subscriber = connection;
          connection.handler(this::onPush);
          connection.exceptionHandler(e -> lost(connection, e));
          connection.endHandler(v -> lost(connection, null));
          return connection.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL))
              .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        })
        .onSuccess(subscribed -> {
          resubscribeIn = RESUBSCRIBE_FIRST;
          LOG.log(System.Logger.Level.INFO, "sso revocations: subscribed to the shared store at {0}",
              RedisClients.endpoint(config));
          catchUp("0");
        })
        .onFailure(e -> lost(subscriber, e));
  }

  private void lost(RedisConnection connection, Throwable cause) {
    if (closed || (connection != null && connection != subscriber)) return;
    LOG.log(System.Logger.Level.WARNING, "sso revocations: the subscription to the shared store at {0} is down ({1});"
        + " retrying in {2} ms; sessions ended on other replicas end here at their next revalidation meanwhile",
        RedisClients.endpoint(config), cause == null ? "connection closed" : RedisClients.describe(cause, config),
        resubscribeIn.toMillis());
    subscriber = null;
    Redis client = subscriberClient;
    subscriberClient = null;
    if (client != null) client.close();
    long delay = resubscribeIn.toMillis();
    resubscribeIn = resubscribeIn.multipliedBy(2).compareTo(RESUBSCRIBE_AT_MOST) > 0
        ? RESUBSCRIBE_AT_MOST : resubscribeIn.multipliedBy(2);
    vertx.setTimer(delay, id -> subscribe());
  }

  /** A pushed message: {@code ["message", channel, payload]} (RESP3 push or RESP2 array alike). */
  private void onPush(Response push) {
    if (push == null || push.size() < 3 || !"message".equals(push.get(0).toString())) return;
    Optional<Revocation> revocation = Revocation.fromMessage(push.get(2).toString(StandardCharsets.UTF_8));
    revocation.ifPresent(received);
  }

  /** Reads every revocation key, a batch at a time, into memory: what was published while we were not listening. */
  private void catchUp(String cursor) {
    if (closed) return;
    api.scan(List.of(cursor, "MATCH", KEY_PREFIX + "*", "COUNT", Integer.toString(SCAN_BATCH)))
        .timeout(timeout.toMillis() * 4, TimeUnit.MILLISECONDS)
        .compose(page -> record(page.get(1)).map(page.get(0).toString()))
        .onSuccess(next -> {
          if (!next.equals("0")) catchUp(next);
        })
        .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "sso revocations: reading the shared store at {0} after"
            + " subscribing failed ({1}); revalidations still ask it", RedisClients.endpoint(config),
            RedisClients.describe(e, config)));
  }

  private Future<Void> record(Response keys) {
    Instant now = Instant.now();
    List<String> subjectKeys = new ArrayList<>();
    for (Response key : keys) {
      String name = key.toString(StandardCharsets.UTF_8);
      String rest = name.substring(KEY_PREFIX.length());
      int colon = rest.indexOf(':');
      if (colon < 0) continue;
      Optional<Revocation.Kind> kind = Revocation.Kind.ofWord(rest.substring(0, colon));
      if (kind.isEmpty()) continue;
      String value = rest.substring(colon + 1);
      if (kind.get() == Revocation.Kind.SUBJECT) subjectKeys.add(name);
      else received.accept(new Revocation(kind.get(), value, now));
    }
    if (subjectKeys.isEmpty()) return Future.succeededFuture();
    return api.mget(subjectKeys).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).map(values -> {
      String prefix = KEY_PREFIX + Revocation.Kind.SUBJECT.word + ":";
      for (int i = 0; i < subjectKeys.size(); i++) {
        Response at = values.get(i);
        if (at == null) continue; // expired between SCAN and MGET
        received.accept(Revocation.subject(subjectKeys.get(i).substring(prefix.length()),
            Instant.ofEpochMilli(Long.parseLong(at.toString()))));
      }
      return null;
    });
  }

  @Override public Future<Void> close() {
    context.runOnContext(v -> {
      closed = true;
      Redis client = subscriberClient;
      subscriberClient = null;
      subscriber = null;
      if (client != null) client.close();
    });
    return commands.close();
  }
}
