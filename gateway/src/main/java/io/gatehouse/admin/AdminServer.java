package io.gatehouse.admin;

import io.gatehouse.config.AdminConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The admin listener: {@code GET /healthz}, {@code GET /readyz}, {@code GET /metrics} and {@code GET /checkpoint}
 * over plain HTTP on {@code admin.listen} (loopback by default). It is its own {@link HttpServer}, so nothing here is reachable
 * through the public listener; everything else answers 404.
 */
public final class AdminServer {
  /** A readiness check that has not answered by then counts as not ready, so a probe never hangs. */
  static final long READINESS_TIMEOUT_MILLIS = 2_000;

  private static final System.Logger LOG = System.getLogger(AdminServer.class.getName());
  private static final String JSON = "application/json";

  private final Vertx vertx;
  private final AdminConfig config;
  private final GatewayMetrics metrics;
  private final Supplier<Future<Boolean>> readiness;
  private final Supplier<Optional<String>> latestCheckpoint;
  private volatile HttpServer server;

  /**
   * @param readiness asked on every {@code /readyz}; ready only when it completes with {@code true} (a failed
   *     future, an exception or a slow answer means not ready)
   */
  public AdminServer(Vertx vertx, AdminConfig config, GatewayMetrics metrics, Supplier<Future<Boolean>> readiness) {
    this(vertx, config, metrics, readiness, Optional::empty);
  }

  /** @param latestCheckpoint the audit log's latest signed checkpoint, served at {@code /checkpoint} */
  public AdminServer(Vertx vertx, AdminConfig config, GatewayMetrics metrics, Supplier<Future<Boolean>> readiness,
      Supplier<Optional<String>> latestCheckpoint) {
    this.latestCheckpoint = Objects.requireNonNull(latestCheckpoint, "latestCheckpoint");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.config = Objects.requireNonNull(config, "config");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.readiness = Objects.requireNonNull(readiness, "readiness");
  }

  /** Binds {@code admin.listen}; completes with the bound port (useful when the configured port is 0). */
  public Future<Integer> start() {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(this::health);
    router.get("/readyz").handler(this::ready);
    router.get("/metrics").handler(this::metrics);
    router.get("/checkpoint").handler(this::checkpoint);
    // Catch-all rather than vertx-web's 405 for a known path with another method: the admin API is GET only.
    router.route().handler(ctx -> json(ctx, 404, "{\"status\":\"not_found\"}"));

    HttpServer created = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.listen().host())
        .setPort(config.listen().port()));
    return created.requestHandler(router).listen().map(bound -> {
      server = bound;
      LOG.log(Level.INFO, "admin listener on " + config.listen().host() + ":" + bound.actualPort());
      return bound.actualPort();
    });
  }

  /** Stops listening; a no-op if {@link #start()} did not succeed. */
  public Future<Void> close() {
    HttpServer bound = server;
    server = null;
    return bound == null ? Future.succeededFuture() : bound.close();
  }

  private void health(RoutingContext ctx) {
    // Answering at all is the signal: the process runs and its event loop is not stuck.
    json(ctx, 200, "{\"status\":\"ok\"}");
  }

  private void ready(RoutingContext ctx) {
    Future<Boolean> check;
    try {
      check = readiness.get().timeout(READINESS_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      check = Future.failedFuture(e);
    }
    check.onComplete(result -> {
      if (result.succeeded() && Boolean.TRUE.equals(result.result())) {
        json(ctx, 200, "{\"status\":\"ready\"}");
      } else {
        json(ctx, 503, "{\"status\":\"unready\"}");
      }
    });
  }

  /**
   * The audit log's latest checkpoint, the signed note as text: what a witness or a monitor polls, and what
   * {@code audit prove --checkpoint} takes. Public data (a size and a hash), so no more guarded than the metrics.
   */
  private void checkpoint(RoutingContext ctx) {
    Optional<String> note = latestCheckpoint.get();
    if (note.isEmpty()) {
      json(ctx, 404, "{\"status\":\"no_checkpoint_yet\"}");
      return;
    }
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").putHeader("Cache-Control", "no-store")
        .end(note.get());
  }

  private void metrics(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", GatewayMetrics.CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store")
        .end(metrics.scrape());
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).putHeader("Cache-Control", "no-store")
        .end(body);
  }
}
