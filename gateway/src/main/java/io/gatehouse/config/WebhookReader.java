package io.gatehouse.config;

import io.gatehouse.config.WebhookConfig.GenericHmac;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code webhooks} list: which signature scheme and secrets apply to which webhook path. */
final class WebhookReader {
  static final List<String> KEYS = Stream.concat(Stream.of("path", "scheme", "secrets", "tolerance"),
      GenericHmacReader.KEYS.stream()).toList();
  static final List<String> SCHEMES = List.of("github", "stripe", "slack", "shopify", "standard", "hmac-sha256");

  private final NodeReader nodes;
  private final Map<String, String> seen = new HashMap<>();
  private final List<PathNode> pathNodes = new ArrayList<>();

  /** A webhook path and where it is written, for the route cross-checks. */
  record PathNode(String path, String shown, Node node, String fieldPath) {}

  WebhookReader(NodeReader nodes) {
    this.nodes = nodes;
  }

  List<WebhookConfig> read(Node node, String path) {
    return nodes.list(node, path, this::webhook);
  }

  List<PathNode> pathNodes() {
    return List.copyOf(pathNodes);
  }

  private WebhookConfig webhook(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, KEYS);
    if (m == null) return null;
    NodeReader.Scalar text = nodes.required(m, "path", "\"/webhook/claims-intake\"", nodes::text);
    String webhookPath = text == null ? null : text.value();
    if (webhookPath != null) {
      Node at = m.get("path");
      if (!webhookPath.startsWith("/")) {
        nodes.problems().error(at, m.pathOf("path"), text.shown("\"" + webhookPath + "\" does not start with /"));
      } else if (seen.containsKey(webhookPath)) {
        nodes.problems().error(at, m.pathOf("path"), text.shown("\"" + webhookPath + "\" is already configured at "
            + seen.get(webhookPath)));
      } else {
        seen.put(webhookPath, m.pathOf("path"));
        pathNodes.add(new PathNode(webhookPath, text.shown("\"" + webhookPath + "\""), at, m.pathOf("path")));
      }
    }
    String scheme = nodes.required(m, "scheme", "\"github\"", (n, p) -> nodes.oneOf(n, p, SCHEMES));
    List<Secret> secrets = nodes.required(m, "secrets", "[\"${env:CLAIMS_SECRET}\"]",
        (n, p) -> nodes.list(n, p, (e, q) -> secret(e, q, scheme)));
    Node secretsNode = m.get("secrets");
    if (secretsNode instanceof org.yaml.snakeyaml.nodes.SequenceNode seq && seq.getValue().isEmpty()) {
      nodes.problems().error(secretsNode, m.pathOf("secrets"), "is empty (expected at least one secret)");
    }
    Duration tolerance = nodes.optional(m, "tolerance", Duration.ofMinutes(5), nodes::duration);
    Optional<GenericHmac> generic = new GenericHmacReader(nodes).read(m, scheme);
    return new WebhookConfig(webhookPath, scheme, secrets == null ? List.of() : secrets, tolerance, generic);
  }

  /**
   * A secret; for scheme standard also its format, since the HMAC key is the bytes behind the base64 and a secret
   * that does not decode could never verify anything. The message never shows the value.
   */
  private Secret secret(Node node, String path, String scheme) {
    Secret secret = nodes.secret(node, path, SsoReader.MIN_SECRET_BYTES);
    if (secret != null && "standard".equals(scheme) && !isStandardWebhooksSecret(secret.value())) {
      nodes.problems().error(node, path, "is not a Standard Webhooks secret (expected whsec_ followed by base64, as"
          + " the sender shows it)");
      return null;
    }
    return secret;
  }

  private static boolean isStandardWebhooksSecret(String value) {
    String text = value.strip();
    if (text.startsWith("whsec_")) text = text.substring("whsec_".length());
    try {
      return Base64.getDecoder().decode(text).length > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
