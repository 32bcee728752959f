package io.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code sso} section: the OIDC client and the browser session policy. */
final class SsoReader {
  private static final List<String> KEYS =
      List.of("issuer", "client_id", "client_secret", "cookie_secret", "scopes", "groups_claim", "session");
  private static final List<String> SESSION_KEYS = List.of("idle_timeout", "max_lifetime", "revalidate_every");
  static final int MIN_SECRET_BYTES = 16;
  /** The session cookie is encrypted and authenticated with a key derived from this; 256 bits of it at least. */
  static final int MIN_COOKIE_SECRET_BYTES = 32;
  static final SsoConfig.Session DEFAULT_SESSION =
      new SsoConfig.Session(Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofMinutes(5));

  private final NodeReader nodes;

  SsoReader(NodeReader nodes) {
    this.nodes = nodes;
  }

  SsoConfig read(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, KEYS);
    if (m == null) return null;
    URI issuer = nodes.required(m, "issuer", "\"https://idp.example.com/realms/corp\"",
        (n, p) -> nodes.httpUrl(n, p, false));
    if (issuer != null && issuer.getScheme().equalsIgnoreCase("http") && !ConfigReader.isLoopback(issuer.getHost())) {
      nodes.problems().warning(m.get("issuer"), m.pathOf("issuer"),
          "uses plain http: tokens and discovery documents could be read or changed on the way; use https");
    }
    String clientId = nodes.required(m, "client_id", "\"gatehouse\"", nodes::string);
    Secret clientSecret = nodes.required(m, "client_secret", "\"${env:GATEHOUSE_OIDC_SECRET}\"",
        (n, p) -> nodes.secret(n, p, MIN_SECRET_BYTES));
    Secret cookieSecret = nodes.required(m, "cookie_secret", "\"${env:GATEHOUSE_COOKIE_SECRET}\"",
        (n, p) -> nodes.secret(n, p, MIN_COOKIE_SECRET_BYTES));
    List<String> scopes = nodes.optional(m, "scopes", List.of("openid", "profile", "email"),
        (n, p) -> nodes.list(n, p, nodes::string));
    if (m.get("scopes") != null && !scopes.contains("openid")) {
      nodes.problems().error(m.get("scopes"), m.pathOf("scopes"), "must include \"openid\" (OIDC needs it)");
    }
    String groupsClaim = nodes.optional(m, "groups_claim", "groups", nodes::string);
    SsoConfig.Session session = nodes.optional(m, "session", DEFAULT_SESSION, this::session);
    return new SsoConfig(issuer, clientId, clientSecret, cookieSecret, scopes, groupsClaim, session);
  }

  private SsoConfig.Session session(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, SESSION_KEYS);
    if (m == null) return null;
    Duration idle = nodes.optional(m, "idle_timeout", DEFAULT_SESSION.idleTimeout(), nodes::duration);
    Duration max = nodes.optional(m, "max_lifetime", DEFAULT_SESSION.maxLifetime(), nodes::duration);
    Duration revalidate = nodes.optional(m, "revalidate_every", DEFAULT_SESSION.revalidateEvery(), nodes::duration);
    if (idle != null && max != null && idle.compareTo(max) > 0) {
      Node at = m.get("idle_timeout") != null ? m.get("idle_timeout") : node;
      nodes.problems().warning(at, m.pathOf("idle_timeout"),
          "is longer than max_lifetime, so it never applies");
    }
    return new SsoConfig.Session(idle, max, revalidate);
  }
}
