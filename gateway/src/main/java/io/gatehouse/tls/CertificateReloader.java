package io.gatehouse.tls;

import io.gatehouse.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.function.Function;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Swaps in a renewed certificate without a restart. A periodic timer reads the certificate, key and client CA
 * files on a worker thread, and when their content changed and parses into a valid, matching pair, hands the
 * new options to {@link HttpServer#updateSSLOptions}: the next handshake uses them, connections already open keep
 * theirs.
 *
 * <p>Renewal tools (certbot, cert-manager) write the two files one after the other, so for a moment the pair
 * may not match. Such a state is logged and the old certificate stays; the next check after the second write
 * picks up the finished pair. A rejected content is reported once, not at every tick.
 */
public final class CertificateReloader implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CertificateReloader.class.getName());

  /** How often the files are checked unless the caller says otherwise. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final Function<ServerTlsOptions, Future<?>> installer;
  private final TlsConfig config;
  private final Duration period;
  private final Consumer<Boolean> listener;
  private final AtomicBoolean checking = new AtomicBoolean();
  private volatile ServerTlsOptions current;
  private volatile String rejectedFingerprint;
  private volatile long timerId = -1;

  /** Checks every {@link #DEFAULT_PERIOD}. */
  public CertificateReloader(Vertx vertx, Function<ServerTlsOptions, Future<?>> installer, TlsConfig config,
      ServerTlsOptions current, Consumer<Boolean> listener) {
    this(vertx, installer, config, current, DEFAULT_PERIOD, listener);
  }

  /**
   * @param installer hands the new material to the listener configured from {@code current}
   *     ({@code GatewayServer::updateSsl}), which builds its TLS context from it or fails
   * @param current the options the server was started with; their fingerprint is the baseline
   * @param listener told {@code true} after each successful reload and {@code false} after each rejected change
   */
  public CertificateReloader(Vertx vertx, Function<ServerTlsOptions, Future<?>> installer, TlsConfig config,
      ServerTlsOptions current, Duration period, Consumer<Boolean> listener) {
    if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be positive");
    this.vertx = Objects.requireNonNull(vertx);
    this.installer = Objects.requireNonNull(installer);
    this.config = Objects.requireNonNull(config);
    this.current = Objects.requireNonNull(current);
    this.period = period;
    this.listener = Objects.requireNonNull(listener);
  }

  /** Starts the periodic check. */
  public CertificateReloader start() {
    if (timerId != -1) throw new IllegalStateException("already started");
    timerId = vertx.setPeriodic(period.toMillis(), id -> reloadIfChanged());
    return this;
  }

  /** The options currently served. */
  public ServerTlsOptions current() {
    return current;
  }

  /**
   * Checks the files once. Completes with {@code true} when a new certificate was installed, {@code false} when
   * nothing changed, the change was already rejected, or a check is still running; fails when a new content was
   * rejected (the old certificate stays).
   */
  public Future<Boolean> reloadIfChanged() {
    if (!checking.compareAndSet(false, true)) return Future.succeededFuture(false);
    ServerTlsOptions before = current;
    Future<ServerTlsOptions> candidate = vertx.executeBlocking(() -> readIfChanged(before), false);
    return candidate
        .compose(next -> next == null ? Future.succeededFuture(false) : install(next))
        .onFailure(this::reject)
        .onComplete(done -> checking.set(false));
  }

  /** Runs on a worker thread: file reads and parsing never touch the event loop. */
  private ServerTlsOptions readIfChanged(ServerTlsOptions before) throws TlsMaterialException {
    TlsFileSnapshot files = TlsFileSnapshot.read(config);
    if (files.fingerprint().equals(before.fingerprint()) || files.fingerprint().equals(rejectedFingerprint)) {
      return null;
    }
    try {
      return ServerTlsOptions.fromSnapshot(config, before.engine(), files);
    } catch (TlsMaterialException e) {
      rejectedFingerprint = files.fingerprint();
      throw e;
    }
  }

  private Future<Boolean> install(ServerTlsOptions next) {
    return installer.apply(next)
        .recover(failure -> {
          rejectedFingerprint = next.fingerprint();
          return Future.failedFuture(new TlsMaterialException("the TLS engine refused the new certificate ("
              + failure.getClass().getSimpleName() + ")", failure));
        })
        .map(updated -> {
          current = next;
          rejectedFingerprint = null;
          LOG.log(Level.INFO, "TLS certificate reloaded: {0}", next.describe());
          next.warnIfExpired();
          listener.accept(true);
          return true;
        });
  }

  private void reject(Throwable failure) {
    // A TlsMaterialException message names the file and the problem, never key bytes.
    String why = failure instanceof TlsMaterialException ? failure.getMessage() : failure.getClass().getSimpleName();
    LOG.log(Level.WARNING, "TLS certificate not reloaded, still serving {0}: {1}", current.describe(), why);
    listener.accept(false);
  }

  /** Stops checking; the server keeps the certificate it has. */
  @Override
  public void close() {
    long id = timerId;
    if (id != -1) vertx.cancelTimer(id);
  }
}
