package io.gatehouse.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code alerts} section: the receiver of signed alert POSTs and its key. */
final class AlertsReader {
  static final List<String> KEYS = List.of("webhook", "secret");
  /** The key of an HMAC-SHA256: as long as its output, like {@code sso.n8n_users.secret}. */
  static final int MIN_SECRET_BYTES = 32;

  private final NodeReader nodes;

  AlertsReader(NodeReader nodes) {
    this.nodes = nodes;
  }

  AlertsConfig read(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, KEYS);
    if (m == null) return null;
    URI webhook = nodes.optional(m, "webhook", null, this::webhook);
    Secret secret = nodes.optional(m, "secret", null, (n, p) -> nodes.secret(n, p, MIN_SECRET_BYTES));
    if (m.get("webhook") != null && m.get("secret") == null) {
      nodes.problems().error(m.keyNode("webhook"), m.pathOf("secret"), "is required with alerts.webhook: the"
          + " receiver checks each POST's X-Gatehouse-Signature with it (e.g. \"${env:GATEHOUSE_ALERT_SECRET}\")");
    }
    if (m.get("webhook") == null && m.get("secret") != null) {
      nodes.problems().warning(m.get("secret"), m.pathOf("secret"), "has no effect without alerts.webhook");
    }
    return new AlertsConfig(Optional.ofNullable(webhook), Optional.ofNullable(secret));
  }

  /**
   * An http(s) URL; plain http only to this host, since an alert names client addresses and people, and its
   * signature proves who sent it but hides nothing.
   */
  private URI webhook(Node node, String path) {
    NodeReader.Scalar s = nodes.scalar(node, path);
    if (s == null) return null;
    URI uri;
    try {
      uri = ValueParser.parseHttpUrl(s.value(), false);
    } catch (IllegalArgumentException e) {
      nodes.problems().error(node, path, s.shown(e.getMessage()));
      return null;
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    if (uri.getScheme().equalsIgnoreCase("http") && !ConfigReader.isLoopback(host)) {
      nodes.problems().error(node, path, s.shown("\"" + s.value() + "\" is plain http to a host that is not"
          + " loopback; alerts carry client addresses and subjects, so use https (http only to 127.0.0.1, ::1 or"
          + " localhost)"));
      return null;
    }
    return uri;
  }
}
