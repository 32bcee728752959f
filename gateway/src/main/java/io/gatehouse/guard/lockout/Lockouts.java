package io.gatehouse.guard.lockout;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.LogEvent;
import io.gatehouse.config.RateLimitsConfig.Lockout;
import io.gatehouse.core.ExchangeObserver;
import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.guard.ratelimit.ClientNetwork;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Locks out a source (its network, as rate limits count it) or an identity after {@code failures} failed
 * authentications within {@code within}, for {@code ban}: it learns from every finished exchange
 * ({@link ExchangeOutcome#authFailure()}), and {@link LockoutGuard} refuses the locked-out with 429
 * {@code locked_out}. The start and the end of each lockout are audit events.
 *
 * <p>With the Redis store, failures are counted in Redis, so failures spread over replicas add up, and a lockout
 * one replica starts reaches the others through a channel; each replica then enforces it from memory (a request
 * never waits on Redis for this) and writes its start and end in its own audit log.
 */
public final class Lockouts implements ExchangeObserver, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Lockouts.class.getName());
  static final String SOURCE = "ip:";
  static final String IDENTITY = "id:";

  private final Lockout config;
  private final int ipv6Prefix;
  private final FailureCounter counter;
  private final Clock clock;
  private final Consumer<AuditEvent> audit;
  private final LockoutEvents events;
  private final BanList bans;

  /** @param counters makes the failure counter, given where it reports lockouts other replicas started */
  private Lockouts(Lockout config, int ipv6Prefix, Function<BiConsumer<String, Duration>, FailureCounter> counters,
      Clock clock, Consumer<AuditEvent> audit, LockoutEvents events) {
    this.config = config;
    this.ipv6Prefix = ipv6Prefix;
    this.clock = clock;
    this.audit = audit;
    this.events = events;
    this.bans = new BanList(clock, this::ended);
    this.counter = counters.apply((key, length) -> lockedOut(key, length, "shared store"));
  }

  /** Lockouts counted in this replica's memory. */
  public static Lockouts local(Lockout config, int ipv6Prefix, Clock clock, Consumer<AuditEvent> audit,
      LockoutEvents events) {
    return new Lockouts(config, ipv6Prefix, banned -> new LocalFailureCounter(config), clock, audit, events);
  }

  /**
   * Lockouts counted in Redis and shared by every replica.
   *
   * @param commands a pooled client for the counting script
   * @param subscriberClients makes the client of the subscriber connection that hears of other replicas' lockouts
   */
  public static Lockouts shared(Vertx vertx, Redis commands, Supplier<Redis> subscriberClients, Lockout config,
      int ipv6Prefix, Duration timeout, Clock clock, Consumer<AuditEvent> audit, LockoutEvents events) {
    return new Lockouts(config, ipv6Prefix, banned -> new RedisFailureCounter(vertx, commands, subscriberClients,
        config, timeout, banned), clock, audit, events);
  }

  /** The key a client is locked out by. */
  String sourceKey(InetAddress client) {
    return SOURCE + ClientNetwork.of(client, ipv6Prefix);
  }

  static String identityKey(String subject) {
    return IDENTITY + subject;
  }

  /** How long {@code key} stays locked out; zero or less when it is not. */
  Duration remaining(String key) {
    return bans.remaining(key);
  }

  @Override
  public void completed(ExchangeOutcome outcome) {
    if (!outcome.authFailure()) return;
    if (outcome.client() != null) count(sourceKey(outcome.client()));
    if (outcome.subject() != null) count(identityKey(outcome.subject()));
  }

  private void count(String key) {
    Future<Duration> ban = counter.failed(key);
    ban.onSuccess(length -> {
      if (length.compareTo(Duration.ZERO) > 0) lockedOut(key, length, null);
    }).onFailure(e -> {
      events.lockoutStoreError();
      LOG.log(System.Logger.Level.WARNING, "lockout: the shared store could not count a failed authentication"
          + " ({0}); not counted", e.getClass().getSimpleName());
    });
  }

  /**
   * Locks {@code key} out for {@code length} from now, unless it already is until later.
   *
   * @param origin null when this replica counted the failure that started it; else how it learned of it
   */
  void lockedOut(String key, Duration length, String origin) {
    Instant now = clock.instant();
    Instant until = now.plus(length);
    if (!bans.ban(key, until)) return;
    boolean source = key.startsWith(SOURCE);
    events.lockoutStarted(source ? "source" : "identity");
    audit.accept(LogEvent.of("lockout", now, "event", "start", source ? "source" : "subject",
        key.substring(source ? SOURCE.length() : IDENTITY.length()), "failures", (long) config.failures(),
        "within_seconds", config.within().toSeconds(), "until", until.toString(), "learned_from", origin));
    LOG.log(System.Logger.Level.WARNING, "lockout: a {0} is locked out until {1} after {2} failed authentications",
        source ? "source" : "identity", until, config.failures());
  }

  private void ended(String key, Instant until) {
    boolean source = key.startsWith(SOURCE);
    audit.accept(LogEvent.of("lockout", until, "event", "end", source ? "source" : "subject",
        key.substring(source ? SOURCE.length() : IDENTITY.length())));
  }

  /** Sources and identities locked out now. */
  public long held() {
    return bans.size();
  }

  @Override
  public void close() {
    counter.close();
  }
}
