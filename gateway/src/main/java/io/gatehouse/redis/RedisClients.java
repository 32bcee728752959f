package io.gatehouse.redis;

import io.gatehouse.config.RedisConfig;
import io.gatehouse.config.Secret;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Builds every Vert.x Redis client Gatehouse opens (rate limits, the webhook replay store, SSO revocations and their
 * subscription) from one {@link RedisConfig}, so TLS, the ACL login and the limits are the same whichever store asks.
 *
 * <ul>
 *   <li>{@code rediss://}: TLS 1.2 or 1.3 only; the server's chain checked against {@code tls.ca} (the JVM's trust
 *       store without it) and its name against the URL's host, as HTTPS does; the client certificate presented when
 *       {@code tls.cert} and {@code tls.key} are given.
 *   <li>The ACL user and password go into each connection's {@code HELLO 3 AUTH} (vertx-redis-client falls back to
 *       {@code AUTH} for a server without HELLO). A user or password in the URL itself wins over these; the config
 *       reader refuses both at once.
 * </ul>
 *
 * <p>Nothing here logs. Callers name a Redis with {@link #endpoint} and a failure with {@link #describe}, which never
 * show the URL's userinfo or the password.
 */
public final class RedisClients {
  /** TLS 1.0 and 1.1 are deprecated (RFC 8996); NIST SP 800-52r2, which HIPAA guidance points to, asks for 1.2. */
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  /** RFC 6125 name checks, as for HTTPS: without them any certificate from a trusted CA would be accepted. */
  static final String HOSTNAME_VERIFICATION = "HTTPS";
  /**
   * Calls that may wait for a pooled connection, and replies that may be pending on one, per connection: a burst
   * queues briefly instead of failing, and a Redis that stopped answering cannot make an unbounded queue.
   */
  static final int WAITING_PER_CONNECTION = 256;
  /**
   * How long a TLS handshake may take. Longer than a call's timeout: the first handshake of a fresh JVM loads the TLS
   * classes. A call never waits this long; each store bounds its own calls by its timeout.
   */
  static final Duration HANDSHAKE_LIMIT = Duration.ofSeconds(5);
  private static final int MAX_MESSAGE = 200;

  private RedisClients() {}

  /**
   * A pooled client; it connects when a command needs a connection and drops one that broke, so a Redis that comes
   * back is used again without a restart.
   *
   * @param timeout the TCP connect's deadline (a store's call timeout)
   * @param maxPoolSize connections kept open at most
   */
  public static Redis create(Vertx vertx, RedisConfig config, Duration timeout, int maxPoolSize) {
    return Redis.createClient(vertx, options(config, timeout, maxPoolSize));
  }

  static RedisOptions options(RedisConfig config, Duration timeout, int maxPoolSize) {
    NetClientOptions net = new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
        .setTcpNoDelay(true);
    if (config.usesTls()) {
      net.setSsl(true)
          .setHostnameVerificationAlgorithm(HOSTNAME_VERIFICATION)
          .setEnabledSecureTransportProtocols(PROTOCOLS)
          .setSslHandshakeTimeout(HANDSHAKE_LIMIT.toMillis())
          .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
      RedisConfig.Tls tls = config.tls();
      // Without tls.ca no trust options are set: the JVM's default trust store decides (never trust-all). Vert.x
      // reads these PEM files on a worker thread when the client first connects, not on the event loop.
      tls.ca().ifPresent(ca -> net.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
      if (tls.cert().isPresent() && tls.key().isPresent()) {
        net.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().get().toString())
            .setKeyPath(tls.key().get().toString()));
      }
    }
    RedisOptions options = new RedisOptions()
        .setConnectionString(config.url().toString())
        .setNetClientOptions(net)
        .setMaxPoolSize(maxPoolSize)
        .setMaxPoolWaiting(maxPoolSize * WAITING_PER_CONNECTION)
        .setMaxWaitingHandlers(maxPoolSize * WAITING_PER_CONNECTION);
    config.username().ifPresent(options::setUser);
    config.password().map(Secret::value).ifPresent(options::setPassword);
    return options;
  }

  /** {@code host:port}: all a log line may say about where a Redis is (the URL may hold a password). */
  public static String endpoint(RedisConfig config) {
    URI url = config.url();
    return url.getHost() + ":" + (url.getPort() < 0 ? 6379 : url.getPort());
  }

  /**
   * A failure's class and message for a log line, and its root cause's (where TLS says what it refused); the password
   * and the URL's userinfo are blanked should a message ever quote them.
   */
  public static String describe(Throwable failure, RedisConfig config) {
    List<String> secrets = secrets(config);
    StringBuilder out = new StringBuilder(line(failure, secrets));
    Throwable root = failure;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 10; depth++) {
      root = root.getCause();
    }
    if (root != failure) out.append(" (caused by ").append(line(root, secrets)).append(')');
    return out.toString();
  }

  private static String line(Throwable failure, List<String> secrets) {
    String message = failure.getMessage() == null ? "" : failure.getMessage().strip();
    for (String secret : secrets) message = message.replace(secret, "***");
    if (message.length() > MAX_MESSAGE) message = message.substring(0, MAX_MESSAGE) + "…";
    String name = failure.getClass().getSimpleName();
    return message.isEmpty() ? name : name + ": " + message;
  }

  private static List<String> secrets(RedisConfig config) {
    List<String> out = new ArrayList<>();
    config.password().map(Secret::value).ifPresent(out::add);
    String info = config.url().getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      out.add(info);
      int colon = info.indexOf(':');
      if (colon >= 0 && colon < info.length() - 1) {
        String raw = info.substring(colon + 1);
        out.add(raw);
        try {
          out.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          // a malformed %-escape: the raw text above is all there is to blank
        }
      }
    }
    // Longest first, so a password that contains another secret is blanked whole.
    out.removeIf(String::isEmpty);
    out.sort((a, b) -> b.length() - a.length());
    return out;
  }
}
