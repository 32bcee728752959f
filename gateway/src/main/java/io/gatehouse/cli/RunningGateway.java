package io.gatehouse.cli;

import io.gatehouse.admin.AdminServer;
import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.alert.AlertSink;
import io.gatehouse.alert.AlertWebhook;
import io.gatehouse.alert.AnomalyDetectors;
import io.gatehouse.audit.capture.PayloadRecorder;
import io.gatehouse.audit.log.AuditLog;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.ReplayConfig;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.config.WebhookConfig;
import io.gatehouse.core.BodyBudget;
import io.gatehouse.core.ExchangeObserver;
import io.gatehouse.forward.HttpForwarder;
import io.gatehouse.forward.UpstreamClients;
import io.gatehouse.forward.UpstreamPool;
import io.gatehouse.forward.UpstreamTarget;
import io.gatehouse.forward.WebSocketTunnel;
import io.gatehouse.guard.lockout.Lockouts;
import io.gatehouse.guard.replay.LocalReplayStore;
import io.gatehouse.guard.replay.RedisReplayStore;
import io.gatehouse.guard.replay.ReplayStore;
import io.gatehouse.guard.signature.SignatureScheme;
import io.gatehouse.guard.signature.SignatureSchemes;
import io.gatehouse.redis.RedisClients;
import io.gatehouse.server.ExchangeRecorder;
import io.gatehouse.server.GatewayServer;
import io.gatehouse.server.GatewayState;
import io.gatehouse.tls.CertificateReloader;
import io.gatehouse.tls.ServerTlsOptions;
import io.gatehouse.upstream.UpstreamClientSettings;
import io.gatehouse.upstream.UpstreamConnectionPools;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A started gateway: public listener, admin listener, access log, certificate watcher, and the current
 * {@link GatewayState}. Used by {@code run} and by the integration tests, which start real gateways in-process.
 */
public final class RunningGateway {
  private static final System.Logger LOG = System.getLogger(RunningGateway.class.getName());
  /** Requests waiting for a pooled upstream connection, per event loop, beyond which they get 503 at once. */
  private static final int MAX_WAITING_FOR_UPSTREAM = 1024;
  /** Connections per event loop per upstream target, busy and idle together. */
  private static final int MAX_UPSTREAM_CONNECTIONS = 256;
  /** How long an idle upstream connection is kept for the next request. */
  private static final Duration UPSTREAM_KEEP_ALIVE = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final AtomicReference<GatewayState> state;
  private final GatewayStateFactory stateFactory;
  /** Kept across reloads that leave the {@code replay} section alone, so a reload forgets no delivery. */
  private ReplayStore replays;
  /** Kept across reloads that leave their settings alone, so a reload forgets no bucket and no lockout. */
  private RateLimitStores rateLimits;
  /** What learns from finished exchanges under the config in force (read per exchange). */
  private volatile ExchangeObserver observer = ExchangeObserver.NONE;
  private final GatewayMetrics metrics;
  /** Fixed for the process: a reload cannot resize the allowance that requests in flight hold shares of. */
  private final BodyBudget bodyBudget;
  private final AuditLog auditLog;
  /** Scrubs captured payloads off the event loops; closed before the audit log, so its entries still get in. */
  private final PayloadRecorder payloads;
  /** Built once, so what the detectors learned outlives reloads; a change to {@code alerts:} swaps the webhook. */
  private final AlertSink alertSink;
  private final AnomalyDetectors anomalies;
  /** The config file as last applied: for the reload entry's list of changed keys. */
  private ConfigEvents.Snapshot configFile;
  /** Vert.x's client, for WebSocket handshakes only. */
  private final UpstreamClients upstreamClients;
  /** The gateway's own client, for every other request to n8n. */
  private final UpstreamConnectionPools upstreamPools;
  private final NetClient probeClient;
  private final GatewayServer server;
  private final SsoRegistry ssoRegistry;
  private final AdminServer admin;
  private final CertificateReloader certificates;
  private int port;
  private int adminPort;
  private Future<Void> stopping;

  private RunningGateway(Vertx vertx, GatehouseConfig config, Function<WebhookConfig, SignatureScheme> schemes)
      throws Exception {
    this.vertx = vertx;
    this.metrics = new GatewayMetrics();
    this.bodyBudget = new BodyBudget(config.server().maxBufferedBodies().orElseGet(BodyBudget::defaultLimit));
    metrics.bufferedBodies(bodyBudget::used);
    // Opened before anything listens, and refusing to start when the log there cannot be continued honestly.
    this.auditLog = AuditLogOpener.open(config, metrics);
    this.configFile = ConfigEvents.Snapshot.read(config.source());
    auditLog.write(ConfigEvents.loaded(configFile));
    try {
      this.ssoRegistry = new SsoRegistry(vertx, Clock.systemUTC(), metrics, bodyBudget, auditLog::write);
      this.stateFactory =
          new GatewayStateFactory(schemes, metrics, Clock.systemUTC(), bodyBudget, ssoRegistry, metrics);
      this.replays = openReplayStore(vertx, config.replay());
      this.rateLimits = RateLimitStores.open(vertx, config.rateLimits(), auditLog::write, metrics);
      metrics.bucketsHeld(() -> currentRateLimits().buckets().size());
      metrics.lockedOut(() -> currentRateLimits().lockouts() == null ? 0 : currentRateLimits().lockouts().held());
      this.state = new AtomicReference<>(stateFactory.build(config, null, replays, rateLimits.buckets(),
          rateLimits.lockouts()));
      this.upstreamClients = new UpstreamClients(vertx, upstreamClientOptions(config.server()),
          new PoolOptions().setHttp1MaxSize(MAX_UPSTREAM_CONNECTIONS).setMaxWaitQueueSize(MAX_WAITING_FOR_UPSTREAM));
      this.upstreamPools = new UpstreamConnectionPools(vertx, upstreamClientSettings(config.server()));
      this.probeClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1000));
      this.payloads = PayloadRecorder.forProcess(auditLog::write, metrics);
      metrics.capturedPayloadBytes(payloads::bytesHeld);
      ExchangeRecorder recorder = new ExchangeRecorder(auditLog, metrics, payloads, () -> observer);
      ServerConfig serverConfig = config.server();
      ServerTlsOptions tls = ServerTlsOptions.load(serverConfig.tls());
      this.server = new GatewayServer(
          vertx,
          tls,
          state::get,
          new HttpForwarder(upstreamPools, metrics),
          new WebSocketTunnel(vertx, upstreamClients, metrics, auditLog::write),
          recorder,
          metrics);
      this.admin = new AdminServer(vertx, config.admin(), metrics, this::ready, auditLog::latestCheckpoint);
      this.certificates = new CertificateReloader(vertx, server::updateSsl, serverConfig.tls(), tls, metrics::certReload);
      // Last: their threads start here, and nothing after can fail and leave them running.
      this.alertSink = new AlertSink(auditLog::write, metrics, AlertWebhook.forConfig(config.alerts(), metrics));
      this.anomalies = AnomalyDetectors.start(Clock.systemUTC(), alertSink, metrics);
      this.observer = observer();
    } catch (Exception | Error e) {
      auditLog.close(); // gives the directory's lock back, so a corrected start in this process can take it
      throw e;
    }
  }

  /**
   * The Vert.x a gateway runs on: an event loop per core, and Netty's epoll transport when its native library loads
   * (Java NIO otherwise; {@link #start} logs which).
   */
  public static Vertx newVertx() {
    return Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors())
        .setPreferNativeTransport(true));
  }

  /** Starts a gateway for {@code config} (already validated). */
  public static Future<RunningGateway> start(Vertx vertx, GatehouseConfig config) {
    return start(vertx, config, SignatureSchemes::forConfig);
  }

  /**
   * Starts a gateway with the given signature scheme implementations (tests pass their own).
   *
   * @param schemes the implementation for each {@code webhooks:} entry
   */
  public static Future<RunningGateway> start(
      Vertx vertx, GatehouseConfig config, Function<WebhookConfig, SignatureScheme> schemes) {
    LOG.log(System.Logger.Level.INFO, "network transport: {0}",
        vertx.isNativeTransportEnabled() ? "epoll (native)" : "Java NIO (the epoll library did not load)");
    RunningGateway gateway;
    try {
      gateway = new RunningGateway(vertx, config, schemes);
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    return gateway.server.start(config.server().listen())
        .compose(p -> {
          gateway.port = p;
          return gateway.admin.start();
        })
        .map(adminPort -> {
          gateway.adminPort = adminPort;
          gateway.certificates.start();
          return gateway;
        });
  }

  /** Every observer of finished exchanges under the current settings: the lockout when set, the detectors. */
  private ExchangeObserver observer() {
    Lockouts current = rateLimits.lockouts();
    if (current == null) return anomalies;
    return outcome -> {
      current.completed(outcome);
      anomalies.completed(outcome);
    };
  }

  private static ReplayStore openReplayStore(Vertx vertx, ReplayConfig config) {
    if (!config.store().equals("redis")) return new LocalReplayStore();
    return new RedisReplayStore(vertx, config.redis().orElseThrow(), config.timeout());
  }


  private static HttpClientOptions upstreamClientOptions(ServerConfig config) {
    return new HttpClientOptions()
        // The TCP connect's own deadline, shorter than the wait for a pooled connection (see UpstreamConnector).
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeouts().upstreamConnect().toMillis()))
        .setKeepAlive(true)
        .setKeepAliveTimeout((int) UPSTREAM_KEEP_ALIVE.toSeconds())
        .setDecompressionSupported(false)
        .setMaxHeaderSize(64 * 1024)
        // One limit for the request line: PathNormalizer caps targets at 8 KiB, so a longer line is 431 here.
        .setMaxInitialLineLength(8 * 1024)
        .setTcpNoDelay(true);
  }

  private static UpstreamClientSettings upstreamClientSettings(ServerConfig config) {
    // The same limits as the Vert.x client's options above: one meaning for both clients.
    return new UpstreamClientSettings(config.timeouts().upstreamConnect(), MAX_UPSTREAM_CONNECTIONS,
        MAX_WAITING_FOR_UPSTREAM, UPSTREAM_KEEP_ALIVE, 8 * 1024, 64 * 1024);
  }

  /** Ready when the audit log is written and every pool has at least one target accepting connections. */
  private Future<Boolean> ready() {
    if (!auditLog.writable()) return Future.succeededFuture(false);
    List<Future<Boolean>> pools = new ArrayList<>();
    for (UpstreamPool pool : state.get().pools().values()) pools.add(anyAnswers(pool.targets(), 0));
    return Future.all(pools).map(all -> pools.stream().allMatch(f -> f.result()));
  }

  private Future<Boolean> anyAnswers(List<UpstreamTarget> targets, int index) {
    if (index == targets.size()) return Future.succeededFuture(false);
    UpstreamTarget target = targets.get(index);
    return probeClient.connect(target.port(), target.host())
        .compose(socket -> socket.close().map(true), e -> anyAnswers(targets, index + 1));
  }

  /**
   * Swaps in a new, validated config for new requests; requests in flight keep the state they started with. Settings
   * that are fixed once the listeners are up are logged by key and returned, so the operator knows a restart is
   * needed for them.
   */
  public synchronized List<String> apply(GatehouseConfig config) {
    GatewayState previous = state.get();
    ReplayStore oldReplays = replays;
    if (!config.replay().equals(previous.config().replay())) replays = openReplayStore(vertx, config.replay());
    rateLimits = rateLimits.reloaded(vertx, config.rateLimits(), auditLog::write, metrics);
    observer = observer();
    state.set(stateFactory.build(config, previous, replays, rateLimits.buckets(), rateLimits.lockouts()));
    // Requests still checking against the old store at this instant see an error and follow replay_store_down.
    if (oldReplays != replays) oldReplays.close();
    if (!config.alerts().equals(previous.config().alerts())) {
      alertSink.webhook(AlertWebhook.forConfig(config.alerts(), metrics));
    }
    List<String> restartNeeded = RestartSettings.changed(previous.config(), config);
    ConfigEvents.Snapshot now = ConfigEvents.Snapshot.read(config.source());
    auditLog.write(ConfigEvents.reloaded(configFile, now, restartNeeded));
    configFile = now;
    if (!restartNeeded.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "reload applied, but these settings take effect only after a restart: {0}",
          String.join(", ", restartNeeded));
    }
    return restartNeeded;
  }

  public GatewayState state() { return state.get(); }
  private synchronized ReplayStore currentReplays() { return replays; }
  private synchronized RateLimitStores currentRateLimits() { return rateLimits; }
  public GatewayMetrics metrics() { return metrics; }
  public AuditLog auditLog() { return auditLog; }

  /** Records a reload that was refused because the file has errors. */
  void reloadRefused(java.nio.file.Path file, int errors) {
    auditLog.write(ConfigEvents.refused(ConfigEvents.Snapshot.read(file), errors));
  }
  public int port() { return port; }
  public int adminPort() { return adminPort; }

  /**
   * Stops accepting, drains in-flight requests for up to {@code grace}, then flushes the access log. Calling it
   * again returns the first call's future.
   */
  public synchronized Future<Void> stop(Duration grace) {
    // Idempotent because a second SIGTERM/SIGINT during the drain (an impatient Ctrl-C) used to run the whole
    // sequence again: the second server shutdown completed at once and the upstream client was closed under the
    // requests still draining, which then failed with 502.
    if (stopping == null) stopping = stopOnce(grace);
    return stopping;
  }

  private Future<Void> stopOnce(Duration grace) {
    certificates.close();
    return server.shutdown(grace)
        .eventually(() -> admin.close())
        .eventually(() -> upstreamPools.close())
        .eventually(() -> upstreamClients.close())
        .eventually(() -> probeClient.close())
        .eventually(() -> currentReplays().close())
        .eventually(() -> currentRateLimits().close())
        .eventually(() -> ssoRegistry.close())
        .eventually(() -> vertx.executeBlocking(() -> {
          // The detectors' last alerts still reach the audit log, which closes after them.
          anomalies.close();
          alertSink.close();
          payloads.close();
          auditLog.close();
          return null;
        }))
        .mapEmpty();
  }
}
