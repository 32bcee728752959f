package io.gatehouse.cli;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigProblem;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reloads the config when the file's content changes (polled, so it works on every filesystem and with
 * Kubernetes' symlink-swapped ConfigMaps) or on SIGHUP. A file with errors is refused: its problems are logged
 * with their positions, counted, and the running config keeps serving.
 */
final class ConfigReloader implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ConfigReloader.class.getName());
  private static final long POLL_MILLIS = 1000;

  private final Vertx vertx;
  private final Path file;
  private final RunningGateway gateway;
  private final AtomicBoolean busy = new AtomicBoolean();
  /** A SIGHUP that arrived while a reload was running: honoured as soon as that one ends, never dropped. */
  private final AtomicBoolean forcePending = new AtomicBoolean();
  private volatile byte[] lastDigest;
  private long timer = -1;

  ConfigReloader(Vertx vertx, Path file, RunningGateway gateway) {
    this.vertx = vertx;
    this.file = file;
    this.gateway = gateway;
    this.lastDigest = digest();
  }

  void start() {
    timer = vertx.setPeriodic(POLL_MILLIS, id -> reload(false));
  }

  /** SIGHUP: reload even when the file looks unchanged (a referenced ${file:} secret may have changed). */
  void reloadNow() {
    forcePending.set(true);
    reload(true);
  }

  private void reload(boolean force) {
    // A poll that finds a reload running can be skipped (the next poll comes in a second), but a SIGHUP cannot:
    // it may be for a ${file:} value the poll never sees. forcePending carries it over to the end of the running one.
    if (!busy.compareAndSet(false, true)) return;
    boolean forced = forcePending.getAndSet(false) || force;
    vertx.executeBlocking(() -> {
      byte[] current = digest();
      if (!forced && Arrays.equals(current, lastDigest)) return null;
      lastDigest = current;
      var result = ConfigLoader.load(file, System::getenv);
      for (ConfigProblem problem : result.problems()) {
        LOG.log(System.Logger.Level.WARNING, "config reload: {0}", problem.format());
      }
      if (result.config().isEmpty()) {
        gateway.metrics().configReload(false);
        gateway.reloadRefused(file, (int) result.problems().stream().filter(ConfigProblem::isError).count());
        LOG.log(System.Logger.Level.ERROR, "config reload refused: {0} has errors; the running config stays", file);
      } else {
        gateway.apply(result.config().get());
        gateway.metrics().configReload(true);
        LOG.log(System.Logger.Level.INFO, "config reloaded from {0}", file);
      }
      return null;
    }, false).onComplete(ar -> {
      busy.set(false);
      if (ar.failed()) LOG.log(System.Logger.Level.ERROR, "config reload failed", ar.cause());
      if (forcePending.get()) reload(false);
    });
  }

  private byte[] digest() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (Exception e) {
      return new byte[0];
    }
  }

  @Override public void close() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }
}
