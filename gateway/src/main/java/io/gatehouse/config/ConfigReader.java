package io.gatehouse.config;

import io.gatehouse.core.PayloadCapture;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Walks the composed YAML tree into {@link GatehouseConfig}: the top level and the server, admin, upstreams,
 * rate-limit, replay and audit sections; SSO, webhooks and routes have readers of their own. Values that are wrong are
 * reported and left null, so one pass finds every problem; the result is only handed out when there was no error.
 */
final class ConfigReader {
  static final List<String> TOP_KEYS =
      List.of("server", "admin", "upstreams", "redis", "sso", "webhooks", "rate_limits", "replay", "routes", "audit",
          "alerts");
  private static final List<String> SERVER_KEYS =
      List.of("listen", "public_url", "tls", "trusted_proxies", "max_body", "max_buffered_bodies", "max_connections",
          "max_connections_per_ip", "timeouts");
  private static final List<String> TLS_KEYS = List.of("cert", "key", "min_version", "client_ca");
  private static final List<String> TIMEOUT_KEYS =
      List.of("idle", "request_header", "upstream_connect", "upstream_response", "drain", "request_body",
          "websocket_idle");

  static final HostPort DEFAULT_ADMIN_LISTEN = new HostPort("127.0.0.1", 9090);
  static final long DEFAULT_MAX_BODY = 16L << 20;
  static final Timeouts DEFAULT_TIMEOUTS =
      new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(300),
          Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofHours(1));
  static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 256;

  private final NodeReader nodes;
  private final ProblemCollector problems;
  private final PemFileCheck pem;
  private final RedisReader redisReader;
  private final Path source;
  /** Every upstream name written, valid or not, so a route naming a broken upstream gets no second error. */
  private final Map<String, Node> upstreamKeys = new LinkedHashMap<>();

  ConfigReader(NodeReader nodes, Path source) {
    this.nodes = nodes;
    this.problems = nodes.problems();
    this.pem = new PemFileCheck(problems);
    this.redisReader = new RedisReader(nodes, pem);
    this.source = source;
  }

  GatehouseConfig read(Node root) {
    MappingReader top = nodes.mapping(root, "", TOP_KEYS);
    if (top == null) return null;
    ServerConfig server = nodes.required(top, "server", null, this::server);
    AdminConfig admin = nodes.optional(top, "admin", new AdminConfig(DEFAULT_ADMIN_LISTEN), this::admin);
    checkListeners(top, server, admin);
    Map<String, UpstreamConfig> upstreams = nodes.required(top, "upstreams", null, this::upstreams);
    if (upstreams == null) upstreams = Map.of();
    Optional<RedisConfig> redis = Optional.ofNullable(nodes.optional(top, "redis", null, redisReader::read));
    Optional<SsoConfig> sso =
        Optional.ofNullable(nodes.optional(top, "sso", null, new SsoReader(nodes, top.get("redis") != null)::read));
    WebhookReader webhookReader = new WebhookReader(nodes);
    List<WebhookConfig> webhooks = nodes.optional(top, "webhooks", List.of(), webhookReader::read);
    RateLimitsConfig rateLimits = nodes.optional(top, "rate_limits", RateLimitsConfig.LOCAL,
        (n, p) -> rateLimits(n, p, redis.orElse(null)));
    ReplayConfig replay = nodes.optional(top, "replay", ReplayConfig.LOCAL,
        new ReplayReader(nodes, this::redisUrl, redis, top.get("redis") != null)::read);
    RouteReader routeReader = new RouteReader(nodes, upstreamKeys.keySet(), top.get("sso") != null,
        server == null ? DEFAULT_MAX_BODY : server.maxBody());
    List<RouteConfig> routes = nodes.required(top, "routes", null, routeReader::read);
    if (routes == null) routes = List.of();
    routeReader.lintWebhooks(webhookReader.pathNodes());
    warnUnusedUpstreams(routes);
    AuditConfig audit = nodes.required(top, "audit", null, new AuditReader(nodes, pem)::read);
    requireSigningKeyForPayloads(routes, audit, top.get("audit"));
    AlertsConfig alerts = nodes.optional(top, "alerts", AlertsConfig.NONE, new AlertsReader(nodes)::read);
    return new GatehouseConfig(source, server, admin, upstreams, redis, sso, webhooks,
        rateLimits == null ? RateLimitsConfig.LOCAL : rateLimits, routes, audit,
        replay == null ? ReplayConfig.LOCAL : replay, alerts == null ? AlertsConfig.NONE : alerts);
  }

  /**
   * A captured body carries a keyed HMAC, and its key is derived from the signing key ({@code ScrubKey}): without
   * one there is nothing to key it with that the log's readers do not also hold.
   */
  private void requireSigningKeyForPayloads(List<RouteConfig> routes, AuditConfig audit, Node at) {
    if (audit == null || audit.signingKey().isPresent()) return;
    List<String> logging = routes.stream().filter(r -> r.logPayloads() != PayloadCapture.OFF).map(RouteConfig::name)
        .toList();
    if (!logging.isEmpty()) {
      problems.error(at, "audit.signing_key", "is required when a route logs payloads (" + String.join(", ", logging)
          + "): the key of each captured body's HMAC is derived from it");
    }
  }

  private ServerConfig server(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, SERVER_KEYS);
    if (m == null) return null;
    HostPort listen = nodes.required(m, "listen", "\"0.0.0.0:8443\"", nodes::hostPort);
    URI publicUrl = nodes.required(m, "public_url", "\"https://n8n.example.com\"",
        (n, p) -> nodes.httpUrl(n, p, false));
    TlsConfig tls = nodes.required(m, "tls", "tls: { cert: server.crt, key: server.key }", this::tls);
    List<Cidr> trustedProxies = nodes.optional(m, "trusted_proxies", List.of(),
        (n, p) -> nodes.list(n, p, this::trustedProxy));
    Long maxBody = nodes.optional(m, "max_body", DEFAULT_MAX_BODY, nodes::size);
    if (maxBody != null && maxBody == 0) {
      problems.error(m.get("max_body"), m.pathOf("max_body"), "must be at least 1 byte (expected e.g. 16MiB)");
    }
    Long maxBuffered = nodes.optional(m, "max_buffered_bodies", null, nodes::size);
    if (maxBuffered != null && maxBody != null && maxBuffered < maxBody) {
      problems.warning(m.get("max_buffered_bodies"), m.pathOf("max_buffered_bodies"), "is less than max_body, so a"
          + " signed webhook of max_body is always refused with 503 overloaded");
    }
    Long maxConnections = nodes.optional(m, "max_connections", null, nodes::positiveInteger);
    Long perIp = nodes.optional(m, "max_connections_per_ip", (long) DEFAULT_MAX_CONNECTIONS_PER_IP,
        nodes::positiveInteger);
    Timeouts timeouts = nodes.optional(m, "timeouts", DEFAULT_TIMEOUTS, this::timeouts);
    return new ServerConfig(listen, publicUrl, tls, trustedProxies, maxBody == null ? 0 : maxBody, timeouts,
        Optional.ofNullable(maxBuffered), Optional.ofNullable(maxConnections).map(ConfigReader::intOf), intOf(perIp));
  }

  private static int intOf(Long value) {
    return value == null ? 0 : (int) Math.min(Integer.MAX_VALUE, value);
  }

  private TlsConfig tls(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, TLS_KEYS);
    if (m == null) return null;
    Path cert = nodes.required(m, "cert", "\"/etc/gatehouse/tls/server.crt\"", nodes::file);
    pem.check(m.get("cert"), m.pathOf("cert"), cert, PemFileCheck.CERTIFICATE, "a PEM certificate chain");
    Path key = nodes.required(m, "key", "\"/etc/gatehouse/tls/server.key\"", nodes::file);
    pem.check(m.get("key"), m.pathOf("key"), key, PemFileCheck.PRIVATE_KEY, "a PEM private key");
    String minVersion = nodes.optional(m, "min_version", "TLSv1.2",
        (n, p) -> nodes.oneOf(n, p, List.of("TLSv1.2", "TLSv1.3")));
    Path clientCa = nodes.optional(m, "client_ca", null, nodes::file);
    pem.check(m.get("client_ca"), m.pathOf("client_ca"), clientCa, PemFileCheck.CERTIFICATE, "a PEM CA bundle");
    return new TlsConfig(cert, key, minVersion, Optional.ofNullable(clientCa));
  }

  private Cidr trustedProxy(Node node, String path) {
    Cidr cidr = nodes.cidr(node, path);
    if (cidr != null && cidr.prefixLength() == 0) {
      problems.warning(node, path, "trusts every address as a proxy, so any client can spoof its address"
          + " with X-Forwarded-For; list only your load balancers");
    }
    return cidr;
  }

  private Timeouts timeouts(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, TIMEOUT_KEYS);
    if (m == null) return null;
    Timeouts d = DEFAULT_TIMEOUTS;
    return new Timeouts(
        nodes.optional(m, "idle", d.idle(), nodes::duration),
        nodes.optional(m, "request_header", d.requestHeader(), nodes::duration),
        nodes.optional(m, "upstream_connect", d.upstreamConnect(), nodes::duration),
        nodes.optional(m, "upstream_response", d.upstreamResponse(), nodes::duration),
        nodes.optional(m, "drain", d.drain(), nodes::duration),
        nodes.optional(m, "request_body", d.requestBody(), nodes::duration),
        nodes.optional(m, "websocket_idle", d.websocketIdle(), nodes::duration));
  }

  private AdminConfig admin(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, List.of("listen"));
    if (m == null) return null;
    HostPort listen = nodes.optional(m, "listen", DEFAULT_ADMIN_LISTEN, nodes::hostPort);
    if (listen != null && !isLoopback(listen.host())) {
      problems.warning(m.get("listen"), m.pathOf("listen"), "is not a loopback address, so /metrics and health"
          + " are reachable from the network without authentication; prefer 127.0.0.1");
    }
    return new AdminConfig(listen);
  }

  /** Two listeners on one port would fail at start with a bind error; saying so here is clearer. */
  private void checkListeners(MappingReader top, ServerConfig server, AdminConfig admin) {
    if (server == null || admin == null || server.listen() == null || admin.listen() == null) return;
    HostPort a = server.listen();
    HostPort b = admin.listen();
    boolean overlap = a.host().equals(b.host()) || isWildcard(a.host()) || isWildcard(b.host());
    if (a.port() != 0 && a.port() == b.port() && overlap) {
      Node at = top.get("admin") != null ? top.get("admin") : top.node();
      problems.error(at, "admin.listen", "uses the same port as server.listen (" + a + "); the admin listener"
          + " must be separate from the public one");
    }
  }

  private Map<String, UpstreamConfig> upstreams(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, null);
    if (m == null) return null;
    Map<String, UpstreamConfig> out = new LinkedHashMap<>();
    if (m.keys().isEmpty()) {
      problems.error(node, path, "no upstream defined (expected e.g. main: { urls: [\"http://127.0.0.1:5678\"] })");
    }
    for (String name : m.keys()) {
      upstreamKeys.put(name, m.keyNode(name));
      String p = m.pathOf(name);
      if (!name.matches("[A-Za-z0-9_-]+")) {
        problems.error(m.keyNode(name), p, "\"" + name + "\" is not a valid upstream name (letters, digits, - and _)");
      }
      Node value = m.require(name, "{ urls: [\"http://127.0.0.1:5678\"] }");
      MappingReader u = value == null ? null : nodes.mapping(value, p, List.of("urls"));
      if (u == null) continue;
      List<URI> urls = nodes.required(u, "urls", "[\"http://127.0.0.1:5678\"]",
          (n, q) -> nodes.list(n, q, (e, r) -> nodes.httpUrl(e, r, true)));
      if (urls == null) continue;
      if (u.get("urls") instanceof SequenceNode seq && seq.getValue().isEmpty()) {
        problems.error(u.get("urls"), u.pathOf("urls"), "is empty (expected at least one URL)");
      }
      out.put(name, new UpstreamConfig(name, urls));
    }
    return out;
  }

  private void warnUnusedUpstreams(List<RouteConfig> routes) {
    if (routes.isEmpty()) return; // the missing routes are reported already; every upstream would look unused
    upstreamKeys.forEach((name, keyNode) -> {
      if (routes.stream().noneMatch(r -> r.upstream().filter(name::equals).isPresent())) {
        problems.warning(keyNode, "upstreams." + name, "is not used by any route");
      }
    });
  }

  private RateLimitsConfig rateLimits(Node node, String path, RedisConfig shared) {
    MappingReader m = nodes.mapping(node, path, List.of("store", "redis", "ipv6_prefix", "lockout", "timeout"));
    if (m == null) return null;
    String store = nodes.optional(m, "store", "local", (n, p) -> nodes.oneOf(n, p, List.of("local", "redis")));
    URI own = nodes.optional(m, "redis", null, this::redisUrl);
    if ("redis".equals(store) && m.get("redis") == null && shared == null) {
      Node at = m.keyNode("store");
      problems.error(at, m.pathOf("store"), "is redis, but there is no redis section (url, username, password, tls)"
          + " nor a rate_limits.redis URL");
    }
    Long prefix = nodes.optional(m, "ipv6_prefix", (long) RateLimitsConfig.DEFAULT_IPV6_PREFIX, nodes::positiveInteger);
    if (prefix != null && prefix > 128) {
      problems.error(m.get("ipv6_prefix"), m.pathOf("ipv6_prefix"), "must be 1 to 128 (bits; 64 groups a host's"
          + " whole /64)");
      prefix = null;
    }
    RateLimitsConfig.Lockout lockout = nodes.optional(m, "lockout", null, this::lockout);
    java.time.Duration timeout = nodes.optional(m, "timeout", RateLimitsConfig.DEFAULT_TIMEOUT, nodes::duration);
    Optional<RedisConfig> redis = !"redis".equals(store) ? Optional.empty()
        : own != null ? Optional.of(RedisConfig.ofUrl(own)) : Optional.ofNullable(shared);
    return new RateLimitsConfig(store == null ? "local" : store, redis,
        prefix == null ? RateLimitsConfig.DEFAULT_IPV6_PREFIX : prefix.intValue(), Optional.ofNullable(lockout),
        timeout == null ? RateLimitsConfig.DEFAULT_TIMEOUT : timeout);
  }

  private RateLimitsConfig.Lockout lockout(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, List.of("failures", "within", "ban"));
    if (m == null) return null;
    Long failures = nodes.required(m, "failures", "10", nodes::positiveInteger);
    java.time.Duration within = nodes.required(m, "within", "\"1m\"", nodes::duration);
    java.time.Duration ban = nodes.required(m, "ban", "\"15m\"", nodes::duration);
    if (failures == null || within == null || ban == null) return null;
    if (failures > 1_000_000) {
      problems.error(m.get("failures"), m.pathOf("failures"), "is more than 1000000");
      return null;
    }
    return new RateLimitsConfig.Lockout(failures.intValue(), within, ban);
  }

  private URI redisUrl(Node node, String path) {
    return redisReader.url(node, path);
  }

  static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::");
  }
}
