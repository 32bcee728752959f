package io.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads the {@code sso} section: the OIDC client, the browser session policy, and what n8n is told. */
final class SsoReader {
  private static final List<String> KEYS = List.of("issuer", "client_id", "client_secret", "cookie_secret", "scopes",
      "groups_claim", "session", "n8n_users", "forward_headers", "mfa_acr");
  private static final List<String> SESSION_KEYS =
      List.of("idle_timeout", "max_lifetime", "revalidate_every", "idp_down_grace", "revocations");
  static final int MIN_SECRET_BYTES = 16;
  /** The session cookie is encrypted and authenticated with a key derived from this; 256 bits of it at least. */
  static final int MIN_COOKIE_SECRET_BYTES = 32;
  /** The n8n hook refuses shorter ones: the assertion's HMAC key. */
  static final int MIN_HOOK_SECRET_BYTES = 32;
  /** Revalidation is a refresh-token grant at the IdP per session: more often would load the IdP for little. */
  static final Duration MIN_REVALIDATE_EVERY = Duration.ofSeconds(5);
  static final SsoConfig.Session DEFAULT_SESSION = new SsoConfig.Session(
      Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofMinutes(5), Duration.ofMinutes(10), "local");

  private final NodeReader nodes;
  private final boolean redisConfigured;

  /** @param redisConfigured the config has the top-level {@code redis} section, which shared revocations use */
  SsoReader(NodeReader nodes, boolean redisConfigured) {
    this.nodes = nodes;
    this.redisConfigured = redisConfigured;
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
    List<Secret> cookieSecrets = nodes.required(m, "cookie_secret", "\"${env:GATEHOUSE_COOKIE_SECRET}\"",
        this::cookieSecrets);
    List<String> scopes = nodes.optional(m, "scopes", List.of("openid", "profile", "email"),
        (n, p) -> nodes.list(n, p, nodes::string));
    if (m.get("scopes") != null && !scopes.contains("openid")) {
      nodes.problems().error(m.get("scopes"), m.pathOf("scopes"), "must include \"openid\" (OIDC needs it)");
    }
    String groupsClaim = nodes.optional(m, "groups_claim", "groups", nodes::string);
    SsoConfig.Session session = nodes.optional(m, "session", DEFAULT_SESSION, this::session);
    SsoConfig.N8nUsers n8nUsers = nodes.optional(m, "n8n_users", null, this::n8nUsers);
    SsoConfig.ForwardHeaders forward =
        nodes.optional(m, "forward_headers", SsoConfig.ForwardHeaders.DEFAULT, this::forwardHeaders);
    // Keycloak's level of authentication 2 (OTP in a step-up flow) when no acr.loa.map names the levels.
    String mfaAcr = nodes.optional(m, "mfa_acr", "2", nodes::string);
    if (cookieSecrets == null || session == null || forward == null || mfaAcr == null) return null;
    return new SsoConfig(issuer, clientId, clientSecret, cookieSecrets, scopes, groupsClaim, session,
        java.util.Optional.ofNullable(n8nUsers), forward, mfaAcr);
  }

  /** One secret, or a list: the first seals new cookies, the others only open existing ones (rotation). */
  private List<Secret> cookieSecrets(Node node, String path) {
    if (node instanceof SequenceNode seq) {
      if (seq.getValue().isEmpty()) {
        nodes.problems().error(node, path, "is empty (expected the current secret, then any previous ones)");
        return null;
      }
      return nodes.list(node, path, (n, p) -> nodes.secret(n, p, MIN_COOKIE_SECRET_BYTES));
    }
    Secret one = nodes.secret(node, path, MIN_COOKIE_SECRET_BYTES);
    return one == null ? null : List.of(one);
  }

  private SsoConfig.Session session(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, SESSION_KEYS);
    if (m == null) return null;
    Duration idle = nodes.optional(m, "idle_timeout", DEFAULT_SESSION.idleTimeout(), nodes::duration);
    Duration max = nodes.optional(m, "max_lifetime", DEFAULT_SESSION.maxLifetime(), nodes::duration);
    Duration revalidate = nodes.optional(m, "revalidate_every", DEFAULT_SESSION.revalidateEvery(), nodes::duration);
    Duration grace = nodes.optional(m, "idp_down_grace", DEFAULT_SESSION.idpDownGrace(), nodes::duration);
    String revocations = nodes.optional(m, "revocations", DEFAULT_SESSION.revocations(),
        (n, p) -> nodes.oneOf(n, p, List.of("local", "redis")));
    if (idle != null && max != null && idle.compareTo(max) > 0) {
      Node at = m.get("idle_timeout") != null ? m.get("idle_timeout") : node;
      nodes.problems().warning(at, m.pathOf("idle_timeout"),
          "is longer than max_lifetime, so it never applies");
    }
    if (revalidate != null && revalidate.compareTo(MIN_REVALIDATE_EVERY) < 0) {
      nodes.problems().error(m.get("revalidate_every"), m.pathOf("revalidate_every"),
          "is shorter than 5s (each revalidation is a call to the IdP per session)");
      return null;
    }
    if ("redis".equals(revocations) && !redisConfigured) {
      nodes.problems().error(m.get("revocations"), m.pathOf("revocations"),
          "is \"redis\", which needs the top-level redis section (e.g. redis: { url: \"redis://127.0.0.1:6379\" })");
      return null;
    }
    if (idle == null || max == null || revalidate == null || grace == null || revocations == null) return null;
    return new SsoConfig.Session(idle, max, revalidate, grace, revocations);
  }

  private SsoConfig.N8nUsers n8nUsers(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, List.of("secret", "role"));
    if (m == null) return null;
    Secret secret = nodes.required(m, "secret", "\"${env:GATEHOUSE_N8N_HOOK_SECRET}\"",
        (n, p) -> nodes.secret(n, p, MIN_HOOK_SECRET_BYTES));
    String role = nodes.optional(m, "role", "global:member",
        (n, p) -> nodes.oneOf(n, p, List.of("global:member", "global:admin")));
    return secret == null || role == null ? null : new SsoConfig.N8nUsers(secret, role);
  }

  private SsoConfig.ForwardHeaders forwardHeaders(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, List.of("user", "email"));
    if (m == null) return null;
    String user = nodes.optional(m, "user", SsoConfig.ForwardHeaders.DEFAULT.user(), this::headerName);
    String email = nodes.optional(m, "email", SsoConfig.ForwardHeaders.DEFAULT.email(), this::headerName);
    return user == null || email == null ? null : new SsoConfig.ForwardHeaders(user, email);
  }

  private String headerName(Node node, String path) {
    String name = nodes.string(node, path);
    if (name != null && !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
      nodes.problems().error(node, path, "\"" + name + "\" is not a header name (expected e.g. X-Forwarded-User)");
      return null;
    }
    return name;
  }
}
