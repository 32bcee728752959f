package io.gatehouse.config;

import io.gatehouse.config.RouteConfig.AuditFailure;
import io.gatehouse.config.RouteConfig.AuthMode;
import io.gatehouse.config.RouteConfig.BearerConfig;
import io.gatehouse.config.RouteConfig.BreakGlass;
import io.gatehouse.config.RouteConfig.LimitKey;
import io.gatehouse.config.RouteConfig.RateLimitConfig;
import io.gatehouse.config.RouteConfig.StoreFailure;
import io.gatehouse.config.RouteConfig.ReplayStoreDown;
import io.gatehouse.config.RouteConfig.SignatureMode;
import io.gatehouse.core.PayloadCapture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code routes} list and checks the routes against each other and against the other sections: names
 * unique, upstreams defined, SSO configured where used, no route hidden behind an earlier one.
 */
final class RouteReader {
  /** Gatehouse's own endpoints; the same prefix as {@code io.gatehouse.route.ReservedRoute}, which config may not use. */
  static final String RESERVED_PREFIX = "/_gatehouse/";
  private static final List<String> KEYS = List.of("name", "match", "upstream", "allow", "deny", "auth",
      "require_groups", "require_mfa", "rate_limit", "on_store_failure", "signature", "log_payloads", "replay_store_down", "max_body",
      "on_audit_failure", "log_query",
      "bearer", "break_glass");
  private static final List<String> RATE_LIMIT_KEYS = List.of("key", "rate", "burst");
  private static final List<String> AUTH = List.of("sso", "bearer", "n8n-api-key", "none");
  private static final List<String> SIGNATURE = List.of("required", "optional", "off");

  private final NodeReader nodes;
  private final ProblemCollector problems;
  private final Set<String> upstreamNames;
  private final boolean ssoPresent;
  private final long serverMaxBody;
  private final Map<String, String> names = new HashMap<>();
  private final List<Read> routes = new ArrayList<>();

  /** A route together with the mapping it came from, for cross-checks that report at a key's position. */
  private record Read(RouteConfig config, MappingReader mapping) {}

  RouteReader(NodeReader nodes, Set<String> upstreamNames, boolean ssoPresent, long serverMaxBody) {
    this.serverMaxBody = serverMaxBody;
    this.nodes = nodes;
    this.problems = nodes.problems();
    this.upstreamNames = upstreamNames;
    this.ssoPresent = ssoPresent;
  }

  List<RouteConfig> read(Node node, String path) {
    List<RouteConfig> out = nodes.list(node, path, this::route);
    if (node instanceof SequenceNode seq && seq.getValue().isEmpty()) {
      problems.error(node, path, "is empty (expected at least one route; a path no route matches gets 404)");
    }
    warnShadowed();
    return out;
  }

  private RouteConfig route(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, KEYS);
    if (m == null) return null;
    NodeReader.Scalar nameText = nodes.required(m, "name", "\"editor\"", nodes::text);
    String name = nameText == null ? null : nameText.value();
    if (name != null) {
      String first = names.putIfAbsent(name, path);
      if (first != null) {
        problems.error(m.get("name"), m.pathOf("name"), nameText.shown("\"" + name + "\" is already used by " + first));
      }
    }
    List<String> match = nodes.required(m, "match", "[\"/webhook/\"]", (n, p) -> nodes.list(n, p, this::prefix));
    if (m.get("match") instanceof SequenceNode seq && seq.getValue().isEmpty()) {
      problems.error(m.get("match"), m.pathOf("match"), "is empty (expected at least one path prefix, e.g. \"/\")");
    }
    boolean denyAll = m.get("deny") instanceof ScalarNode s && "all".equals(s.getValue());
    List<Cidr> deny = denyAll ? List.of() : nodes.optional(m, "deny", List.of(), this::denyList);
    String upstream = denyAll
        ? nodes.optional(m, "upstream", null, this::upstream)
        : nodes.required(m, "upstream", "\"main\" (or deny: \"all\" for a route that only refuses)", this::upstream);
    List<Cidr> allow = nodes.optional(m, "allow", List.of(), (n, p) -> nodes.list(n, p, nodes::cidr));
    boolean allowEmpty = m.get("allow") == null || m.get("allow") instanceof SequenceNode seq && seq.getValue().isEmpty();
    if (allowEmpty && !denyAll) {
      Node at = m.keyNode("allow") != null ? m.keyNode("allow") : node;
      problems.warning(at, m.pathOf("allow"), "is empty, so every request is refused; write allow: [\"0.0.0.0/0\","
          + " \"::/0\"] to accept any source");
    }
    String auth = nodes.optional(m, "auth", "none", (n, p) -> nodes.oneOf(n, p, AUTH));
    List<String> groups = nodes.optional(m, "require_groups", List.of(), (n, p) -> nodes.list(n, p, nodes::string));
    Boolean mfa = nodes.optional(m, "require_mfa", false, nodes::bool);
    List<RateLimitConfig> rateLimits = nodes.optional(m, "rate_limit", List.of(), this::rateLimits);
    // Webhook senders and API clients retry a 503; a person in the editor should not lose n8n to a Redis outage.
    String storeFailure = nodes.optional(m, "on_store_failure", "sso".equals(auth) ? "allow" : "deny",
        (n, p) -> nodes.oneOf(n, p, List.of("allow", "deny")));
    String signature = nodes.optional(m, "signature", "off", (n, p) -> nodes.oneOf(n, p, SIGNATURE));
    String logPayloads = nodes.optional(m, "log_payloads", "none",
        (n, p) -> nodes.oneOf(n, p, List.of("none", "request", "response", "both", "true", "false")));
    String replayStoreDown = nodes.optional(m, "replay_store_down", "refuse",
        (n, p) -> nodes.oneOf(n, p, List.of("refuse", "allow")));
    Long maxBody = nodes.optional(m, "max_body", null, nodes::size);
    if (maxBody != null && (maxBody == 0 || maxBody > serverMaxBody)) {
      problems.error(m.get("max_body"), m.pathOf("max_body"), maxBody == 0
          ? "must be at least 1 byte (expected e.g. 1MiB)"
          : "is larger than server.max_body (" + serverMaxBody + " bytes); a route can only lower it");
      maxBody = null;
    }
    BearerConfig bearer = nodes.optional(m, "bearer", null, this::bearer);
    BreakGlass breakGlass = nodes.optional(m, "break_glass", null, (n, p) -> breakGlass(n, p, allow));
    // The editor fails open by default: a full disk should not lock every person out of n8n, and each lost entry
    // is counted and alerted on. Webhooks and APIs, where a caller retries a 503, fail closed.
    String auditFailure = nodes.optional(m, "on_audit_failure", "sso".equals(auth) ? "fail-open" : "fail-closed",
        (n, p) -> nodes.oneOf(n, p, List.of("fail-closed", "fail-open")));
    List<String> logQuery = nodes.optional(m, "log_query", List.of(), (n, p) -> nodes.list(n, p, nodes::string));
    RouteConfig route = new RouteConfig(name, match == null ? List.of() : match, Optional.ofNullable(upstream),
        allow, deny, denyAll, enumOf(AuthMode.class, auth), groups, Boolean.TRUE.equals(mfa),
        rateLimits == null ? List.of() : rateLimits,
        "allow".equals(storeFailure) ? StoreFailure.ALLOW : StoreFailure.DENY, enumOf(SignatureMode.class, signature),
        logPayloads == null ? PayloadCapture.OFF : PayloadCapture.of(logPayloads),
        replayStoreDown == null ? ReplayStoreDown.REFUSE : enumOf(ReplayStoreDown.class, replayStoreDown),
        Optional.ofNullable(maxBody), Optional.ofNullable(bearer), Optional.ofNullable(breakGlass),
        "fail-open".equals(auditFailure) ? AuditFailure.FAIL_OPEN : AuditFailure.FAIL_CLOSED, logQuery);
    lintRoute(route, m);
    routes.add(new Read(route, m));
    return route;
  }

  private String prefix(Node node, String path) {
    NodeReader.Scalar text = nodes.text(node, path);
    if (text == null) return null;
    String prefix = text.value();
    if (!prefix.startsWith("/")) {
      problems.error(node, path, text.shown("\"" + prefix + "\" does not start with / (expected e.g. \"/webhook/\")"));
      return null;
    }
    if (prefix.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX.substring(0, RESERVED_PREFIX.length() - 1))) {
      problems.error(node, path, text.shown("\"" + prefix + "\" is under " + RESERVED_PREFIX + ", which Gatehouse serves"
          + " itself (login callback, logout, whoami) and never forwards (expected a path outside it)"));
      return null;
    }
    if (prefix.contains("//") || prefix.contains("/./") || prefix.contains("/../") || prefix.endsWith("/..")
        || prefix.endsWith("/.") || prefix.contains("\\") || prefix.contains("?") || prefix.contains("#")
        || prefix.contains("%") || prefix.chars().anyMatch(c -> c <= ' ')) {
      problems.warning(node, path, text.shown("\"" + prefix + "\" is not a normalized path, and requests are"
          + " matched after normalization, so it never matches"));
    }
    return prefix;
  }

  private List<Cidr> denyList(Node node, String path) {
    if (node instanceof ScalarNode) {
      NodeReader.Scalar s = nodes.scalar(node, path);
      if (s != null) {
        problems.error(node, path, s.shown("\"" + s.value() + "\" is neither \"all\" nor a list of CIDRs"));
      }
      return List.of();
    }
    return nodes.list(node, path, nodes::cidr);
  }

  private String upstream(Node node, String path) {
    NodeReader.Scalar text = nodes.text(node, path);
    if (text == null) return null;
    if (!upstreamNames.contains(text.value())) {
      problems.error(node, path, text.shown("\"" + text.value() + "\" is not a defined upstream (defined: "
          + (upstreamNames.isEmpty() ? "none" : String.join(", ", upstreamNames)) + ")"));
      return null;
    }
    return text.value();
  }

  /** One limit (a mapping) or a list of them. */
  private List<RateLimitConfig> rateLimits(Node node, String path) {
    if (node instanceof SequenceNode seq) {
      if (seq.getValue().isEmpty()) return List.of();
      List<RateLimitConfig> limits = nodes.list(node, path, this::rateLimit);
      if (limits == null) return null;
      java.util.Set<String> keys = new java.util.HashSet<>();
      for (int i = 0; i < limits.size(); i++) {
        RateLimitConfig limit = limits.get(i);
        if (limit != null && !keys.add(limit.keyText())) {
          problems.error(seq.getValue().get(i), path + "[" + i + "].key", "\"" + limit.keyText()
              + "\" is already limited by an earlier entry of this list (one limit per key)");
        }
      }
      return limits;
    }
    RateLimitConfig one = rateLimit(node, path);
    return one == null ? null : List.of(one);
  }

  private RateLimitConfig rateLimit(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, RATE_LIMIT_KEYS);
    if (m == null) return null;
    NodeReader.Scalar key = nodes.optional(m, "key", null, nodes::text);
    Rate rate = nodes.required(m, "rate", "\"20/s\"", nodes::rate);
    Long burst = nodes.required(m, "burst", "40", nodes::positiveInteger);
    LimitKey kind = LimitKey.CLIENT_IP;
    Optional<String> header = Optional.empty();
    if (key != null) {
      String text = key.value();
      if (text.regionMatches(true, 0, "header:", 0, 7)) {
        String name = text.substring(7).trim();
        if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}")) {
          problems.error(m.get("key"), m.pathOf("key"), key.shown("\"" + text + "\" does not name a header"
              + " (expected e.g. header:X-Tenant)"));
          return null;
        }
        kind = LimitKey.HEADER;
        header = Optional.of(name.toLowerCase(Locale.ROOT));
      } else {
        switch (text) {
          case "client_ip" -> kind = LimitKey.CLIENT_IP;
          case "identity" -> kind = LimitKey.IDENTITY;
          case "route" -> kind = LimitKey.ROUTE;
          default -> {
            problems.error(m.get("key"), m.pathOf("key"), key.shown("\"" + text + "\" is not one of: client_ip,"
                + " identity, route, header:NAME"));
            return null;
          }
        }
      }
    }
    if (rate == null || burst == null) return null;
    return new RateLimitConfig(kind, header, rate, burst);
  }

  private BearerConfig bearer(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, List.of("issuer", "audience", "scopes"));
    if (m == null) return null;
    java.net.URI issuer = nodes.optional(m, "issuer", null, (n, p) -> nodes.httpUrl(n, p, false));
    String audience = nodes.required(m, "audience", "\"n8n-api\"", nodes::string);
    List<String> scopes = nodes.optional(m, "scopes", List.of(), (n, p) -> nodes.list(n, p, nodes::string));
    return audience == null ? null : new BearerConfig(Optional.ofNullable(issuer), audience, scopes);
  }

  /**
   * {@code break_glass}: bastion hosts, not networks (everyone there sees n8n's own sign-in page instead of the IdP),
   * inside the route's allow-list (the source check runs first), and the accounts that may use it.
   */
  private BreakGlass breakGlass(Node node, String path, List<Cidr> routeAllow) {
    MappingReader m = nodes.mapping(node, path, List.of("allow", "users"));
    if (m == null) return null;
    List<Cidr> allow = nodes.required(m, "allow", "[\"10.0.5.10/32\"]", (n, p) -> nodes.list(n, p, nodes::cidr));
    List<String> users = nodes.required(m, "users", "[\"owner@example.com\"]", (n, p) -> nodes.list(n, p, this::email));
    if (allow == null || users == null) return null;
    for (int i = 0; i < allow.size(); i++) {
      Cidr cidr = allow.get(i);
      Node at = ((SequenceNode) m.get("allow")).getValue().get(i);
      String atPath = m.pathOf("allow") + "[" + i + "]";
      if (cidr.prefixLength() < (cidr.isIpv6() ? 64 : 24)) {
        problems.warning(at, atPath, "is a whole network: list the bastion hosts only (everyone at this source sees"
            + " n8n's own sign-in page instead of the IdP's)");
      }
      if (routeAllow.stream().noneMatch(cidr::within)) {
        problems.warning(at, atPath, "is not inside the route's allow list, so no request from it gets this far");
      }
    }
    if (users.isEmpty() || allow.isEmpty()) {
      problems.error(node, path, "needs at least one source in allow and one account in users");
      return null;
    }
    return new BreakGlass(allow, users);
  }

  private String email(Node node, String path) {
    String text = nodes.string(node, path);
    if (text == null) return null;
    if (text.indexOf('@') < 1 || text.indexOf('@') == text.length() - 1 || text.chars().anyMatch(c -> c <= ' ')) {
      problems.error(node, path, "\"" + text + "\" is not an email address (n8n's login name, e.g. owner@example.com)");
      return null;
    }
    return text.toLowerCase(Locale.ROOT);
  }

  /** Checks that need only this route: SSO configured, options that cannot take effect. */
  private void lintRoute(RouteConfig route, MappingReader m) {
    if (route.auth() == AuthMode.BEARER && !route.denyAll() && route.bearer().isEmpty()) {
      problems.error(m.get("auth"), m.pathOf("auth"), "\"bearer\" needs a bearer section with the audience tokens"
          + " must be issued for (expected e.g. bearer: { audience: \"n8n-api\" })");
    }
    if (route.auth() == AuthMode.BEARER && route.bearer().map(b -> b.issuer().isEmpty()).orElse(false) && !ssoPresent) {
      problems.error(m.keyNode("bearer"), m.pathOf("bearer"), "has no issuer: set bearer.issuer, or sso.issuer");
    }
    if (route.breakGlass().isPresent() && route.auth() != AuthMode.SSO) {
      problems.error(m.keyNode("break_glass"), m.pathOf("break_glass"), "is only for auth: sso routes (it lets n8n's"
          + " password login through where SSO would refuse it)");
    }
    if (m.get("bearer") != null && route.auth() != AuthMode.BEARER) {
      problems.warning(m.keyNode("bearer"), m.pathOf("bearer"), "has no effect: auth is not bearer");
    }
    if (route.auth() == AuthMode.SSO && !ssoPresent) {
      problems.error(m.get("auth"), m.pathOf("auth"), "\"sso\" needs an sso section (issuer, client_id,"
          + " client_secret, cookie_secret)");
    }
    if (route.auth() == AuthMode.BEARER && (!route.requireGroups().isEmpty() || route.requireMfa())) {
      String key = !route.requireGroups().isEmpty() ? "require_groups" : "require_mfa";
      problems.error(m.keyNode(key), m.pathOf(key), "is not supported with auth: bearer in this version (a token's"
          + " groups and MFA are not read); use bearer.scopes, or auth: sso");
    }
    boolean noIdentity = route.auth() == AuthMode.NONE || route.auth() == AuthMode.N8N_API_KEY;
    if (noIdentity && !route.denyAll() && (!route.requireGroups().isEmpty() || route.requireMfa())) {
      String key = !route.requireGroups().isEmpty() ? "require_groups" : "require_mfa";
      problems.warning(m.keyNode(key), m.pathOf(key), "has no effect: auth is "
          + route.auth().name().toLowerCase(Locale.ROOT).replace('_', '-')
          + ", so there is no identity with groups or MFA to check (use auth: sso)");
    }
    if (m.get("replay_store_down") != null && (route.denyAll() || route.signature() == SignatureMode.OFF)) {
      problems.warning(m.keyNode("replay_store_down"), m.pathOf("replay_store_down"), "has no effect: the route"
          + " does not check webhook signatures (signature: off or deny: all)");
    }
    if (route.rateLimits().stream().anyMatch(r -> r.key() == LimitKey.IDENTITY) && route.auth() == AuthMode.NONE) {
      Node rl = m.get("rate_limit");
      problems.warning(rl, m.pathOf("rate_limit") + ".key",
          "is \"identity\" but the route has no authentication, so requests are counted by client address");
    }
    if (m.get("on_store_failure") != null && (route.denyAll() || route.rateLimits().isEmpty())) {
      problems.warning(m.keyNode("on_store_failure"), m.pathOf("on_store_failure"), "has no effect: the route has"
          + " no rate_limit");
    }
  }

  /** A route whose every prefix starts with an earlier route's prefix can never be chosen: first match wins. */
  private void warnShadowed() {
    for (int j = 1; j < routes.size(); j++) {
      List<String> later = routes.get(j).config().match();
      if (later.isEmpty()) continue;
      for (int i = 0; i < j; i++) {
        List<String> earlier = routes.get(i).config().match();
        if (later.stream().allMatch(p -> earlier.stream().anyMatch(q -> lower(p).startsWith(lower(q))))) {
          MappingReader m = routes.get(j).mapping();
          problems.warning(m.get("match"), m.pathOf("match"), "is shadowed by " + routes.get(i).mapping().path()
              + " (\"" + routes.get(i).config().name() + "\"), which comes first and matches all of these"
              + " prefixes, so this route is never used");
          break;
        }
      }
    }
  }

  /**
   * A webhook entry only takes effect on a route that checks signatures, and a route that requires one refuses
   * everything that has no entry.
   */
  void lintWebhooks(List<WebhookReader.PathNode> webhooks) {
    for (WebhookReader.PathNode w : webhooks) {
      Read first = routes.stream().filter(r -> matches(r.config().match(), w.path())).findFirst().orElse(null);
      if (first == null) {
        problems.warning(w.node(), w.fieldPath(), "no route matches " + w.shown());
      } else if (!first.config().denyAll() && first.config().signature() == SignatureMode.OFF) {
        problems.warning(w.node(), w.fieldPath(), w.shown() + " goes to " + first.mapping().path() + " (\""
            + first.config().name() + "\"), which has signature: off, so this signature is never checked");
      }
    }
    for (Read r : routes) {
      RouteConfig route = r.config();
      if (route.denyAll() || route.signature() != SignatureMode.REQUIRED) continue;
      boolean covered = webhooks.stream().anyMatch(w -> matches(route.match(), w.path()));
      if (!covered) {
        problems.warning(r.mapping().get("signature"), r.mapping().pathOf("signature"), "is required but no"
            + " webhooks[] entry has a path under this route, so every request is refused as unsigned");
      }
    }
  }

  /** The same prefix rule as {@code io.gatehouse.core.Route#matches}, which config may not depend on. */
  static boolean matches(List<String> prefixes, String path) {
    String p = lower(path);
    for (String prefix : prefixes) {
      String q = lower(prefix);
      if (p.startsWith(q)) return true;
      if (q.length() > 1 && q.endsWith("/") && p.equals(q.substring(0, q.length() - 1))) return true;
    }
    return false;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String word) {
    return word == null ? null : Enum.valueOf(type, word.replace('-', '_').toUpperCase(Locale.ROOT));
  }
}
