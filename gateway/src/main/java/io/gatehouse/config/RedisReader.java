package io.gatehouse.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the top-level {@code redis} section (the one Redis that rate limits, the replay store and SSO revocations
 * share when set to redis without a URL of their own) and the rule every Redis URL follows, also a store's own.
 *
 * <p>Redis is not safe to put PHI-adjacent data through by default: it speaks in clear and lets anyone in. So a
 * plain {@code redis://} to another host is a warning, TLS files are checked like the listener's, and the password is
 * a secret like any other: a literal one is a warning, and it is never quoted in a message.
 */
final class RedisReader {
  static final List<String> KEYS = List.of("url", "username", "password", "tls");
  private static final List<String> TLS_KEYS = List.of("ca", "cert", "key");
  /** Redis takes any non-empty password; how long it is, is the operator's choice (requirepass or ACL). */
  private static final int MIN_PASSWORD_BYTES = 1;

  private final NodeReader nodes;
  private final ProblemCollector problems;
  private final PemFileCheck pem;

  RedisReader(NodeReader nodes, PemFileCheck pem) {
    this.nodes = nodes;
    this.problems = nodes.problems();
    this.pem = pem;
  }

  RedisConfig read(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, KEYS);
    if (m == null) return null;
    URI url = nodes.required(m, "url", "\"rediss://redis.internal:6380\"", this::url);
    String username = nodes.optional(m, "username", null, nodes::string);
    Secret password = nodes.optional(m, "password", null, (n, p) -> nodes.secret(n, p, MIN_PASSWORD_BYTES));
    RedisConfig.Tls tls = nodes.optional(m, "tls", RedisConfig.Tls.NONE, this::tls);
    UserInfo inUrl = url == null ? UserInfo.NONE : UserInfo.of(url);
    if (url != null && m.get("tls") != null && !url.getScheme().equalsIgnoreCase("rediss")) {
      problems.error(m.get("tls"), m.pathOf("tls"), "is only for a rediss:// url; " + m.pathOf("url")
          + " is redis://, which never uses TLS (use rediss://)");
    }
    if (password != null && inUrl.password()) {
      problems.error(m.get("password"), m.pathOf("password"), "is given twice: " + m.pathOf("url")
          + " carries a password too; keep this one and take it out of the url");
    }
    if (username != null && inUrl.user()) {
      problems.error(m.get("username"), m.pathOf("username"), "is given twice: " + m.pathOf("url")
          + " names a user too; keep one");
    }
    if (username != null && m.get("password") == null && !inUrl.password()) {
      // The client logs in as a user only together with a password; without one it would quietly be "default".
      problems.error(m.get("username"), m.pathOf("username"), "needs " + m.pathOf("password")
          + " (Redis logs a client in as an ACL user only with its password)");
    }
    if (url == null || tls == null) return null;
    return new RedisConfig(url, Optional.ofNullable(username), Optional.ofNullable(password),
        tls);
  }

  /**
   * A {@code redis://} or {@code rediss://} URL with a host. A plain one to a host that is not loopback, and a
   * password written into the file, are warnings; messages show a URL from {@code ${…}} as its reference.
   */
  URI url(Node node, String path) {
    NodeReader.Scalar s = nodes.scalar(node, path);
    if (s == null) return null;
    URI uri = parse(s.value());
    if (uri == null) {
      problems.error(node, path, s.shown("\"" + s.value() + "\" is not a redis:// or rediss:// URL"
          + " (expected e.g. redis://127.0.0.1:6379)"));
      return null;
    }
    if (uri.getScheme().equalsIgnoreCase("redis") && !isLoopback(uri.getHost())) {
      problems.warning(node, path, "is plain redis:// to a host that is not loopback: commands, keys and any"
          + " password cross the network in clear (use rediss://)");
    }
    if (UserInfo.of(uri).password() && !s.fromReference()) {
      problems.warning(node, path, "carries a password written in the file; use ${env:NAME} or ${file:PATH}"
          + " instead (or the redis section's password)");
    }
    return uri;
  }

  private static URI parse(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("redis") || scheme.equals("rediss")) && uri.getHost() != null) return uri;
    } catch (URISyntaxException e) {
      // reported by the caller, with the same message as any other malformed value
    }
    return null;
  }

  private static boolean isLoopback(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return ConfigReader.isLoopback(bare.toLowerCase(Locale.ROOT));
  }

  private RedisConfig.Tls tls(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, TLS_KEYS);
    if (m == null) return null;
    Path ca = nodes.optional(m, "ca", null, nodes::file);
    pem.check(m.get("ca"), m.pathOf("ca"), ca, PemFileCheck.CERTIFICATE, "a PEM CA bundle");
    Path cert = nodes.optional(m, "cert", null, nodes::file);
    pem.check(m.get("cert"), m.pathOf("cert"), cert, PemFileCheck.CERTIFICATE, "a PEM certificate chain");
    Path key = nodes.optional(m, "key", null, nodes::file);
    pem.check(m.get("key"), m.pathOf("key"), key, PemFileCheck.PRIVATE_KEY, "a PEM private key");
    if (m.get("cert") != null && m.get("key") == null) {
      problems.error(m.get("cert"), m.pathOf("cert"), "needs " + m.pathOf("key")
          + " too (a client certificate and its private key go together)");
      return null;
    }
    if (m.get("key") != null && m.get("cert") == null) {
      problems.error(m.get("key"), m.pathOf("key"), "needs " + m.pathOf("cert")
          + " too (a client certificate and its private key go together)");
      return null;
    }
    return new RedisConfig.Tls(Optional.ofNullable(ca), Optional.ofNullable(cert),
        Optional.ofNullable(key));
  }

  /** What a URL's userinfo ({@code user:password@}) holds, without keeping either. */
  private record UserInfo(boolean user, boolean password) {
    static final UserInfo NONE = new UserInfo(false, false);

    static UserInfo of(URI url) {
      String info = url.getRawUserInfo();
      if (info == null || info.isEmpty()) return NONE;
      int colon = info.indexOf(':');
      if (colon < 0) return new UserInfo(true, false);
      return new UserInfo(colon > 0, colon < info.length() - 1);
    }
  }
}
