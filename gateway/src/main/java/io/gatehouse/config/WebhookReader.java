package io.gatehouse.config;

import io.gatehouse.config.WebhookConfig.GenericHmac;
import io.gatehouse.config.WebhookConfig.GenericHmac.Encoding;
import io.gatehouse.config.WebhookConfig.GenericHmac.Signed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code webhooks} list: which signature scheme and secrets apply to which webhook path. */
final class WebhookReader {
  static final List<String> KEYS = List.of("path", "scheme", "secrets", "tolerance", "header", "encoding", "prefix",
      "signed", "timestamp_header", "id_header");
  static final List<String> SCHEMES = List.of("github", "stripe", "slack", "shopify", "standard", "hmac-sha256");
  /** The keys that describe scheme hmac-sha256; the named schemes fix all of these themselves. */
  static final List<String> GENERIC_KEYS = List.of("header", "encoding", "prefix", "signed", "timestamp_header",
      "id_header");
  private static final String GENERIC = "hmac-sha256";
  /** An RFC 9110 field name (a token). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

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
    Optional<GenericHmac> generic = generic(m, scheme);
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

  /**
   * The settings of scheme hmac-sha256: {@code header} is required, the rest have defaults (hex, no prefix, the
   * body alone, the signature as replay key). On any other scheme these keys are errors: they would be ignored,
   * and someone who wrote them expects them to matter.
   */
  private Optional<GenericHmac> generic(MappingReader m, String scheme) {
    if (!GENERIC.equals(scheme)) {
      if (scheme != null) {
        for (String key : GENERIC_KEYS) {
          if (m.keyNode(key) != null) {
            nodes.problems().error(m.keyNode(key), m.pathOf(key), "applies only to scheme \"" + GENERIC + "\"");
          }
        }
      }
      return Optional.empty();
    }
    String header = null;
    if (m.get("header") == null) {
      Node at = m.keyNode("header") != null ? m.keyNode("header") : m.node();
      nodes.problems().error(at, m.pathOf("header"),
          "is missing (required for scheme \"" + GENERIC + "\", e.g. \"X-Signature\")");
    } else {
      header = headerName(m.get("header"), m.pathOf("header"));
    }
    Encoding encoding = nodes.optional(m, "encoding", Encoding.HEX, (n, p) -> {
      String word = nodes.oneOf(n, p, List.of("hex", "base64"));
      return word == null ? null : word.equals("hex") ? Encoding.HEX : Encoding.BASE64;
    });
    NodeReader.Scalar prefixText = nodes.optional(m, "prefix", null, nodes::scalar);
    Signed signed = nodes.optional(m, "signed", Signed.BODY, (n, p) -> {
      String word = nodes.oneOf(n, p, List.of("body", "timestamp.body"));
      return word == null ? null : word.equals("body") ? Signed.BODY : Signed.TIMESTAMP_BODY;
    });
    String timestampHeader = null;
    if (signed == Signed.TIMESTAMP_BODY) {
      if (m.get("timestamp_header") == null) {
        Node at = m.keyNode("timestamp_header") != null ? m.keyNode("timestamp_header") : m.node();
        nodes.problems().error(at, m.pathOf("timestamp_header"),
            "is missing (required with signed: \"timestamp.body\", e.g. \"X-Timestamp\")");
      } else {
        timestampHeader = headerName(m.get("timestamp_header"), m.pathOf("timestamp_header"));
      }
    } else if (signed == Signed.BODY && m.keyNode("timestamp_header") != null) {
      nodes.problems().error(m.keyNode("timestamp_header"), m.pathOf("timestamp_header"),
          "applies only with signed: \"timestamp.body\" (the timestamp is not signed with signed: \"body\")");
    }
    String idHeader = nodes.optional(m, "id_header", null, this::headerName);
    boolean idWrong = m.get("id_header") != null && idHeader == null;
    boolean timestampWrong = signed == Signed.TIMESTAMP_BODY && timestampHeader == null;
    if (header == null || encoding == null || signed == null || timestampWrong || idWrong
        || (m.get("prefix") != null && prefixText == null)) {
      return Optional.empty(); // reported above; the config is not built
    }
    return Optional.of(new GenericHmac(header, encoding, prefixText == null ? "" : prefixText.value(), signed,
        Optional.ofNullable(timestampHeader), Optional.ofNullable(idHeader)));
  }

  private String headerName(Node node, String path) {
    NodeReader.Scalar s = nodes.text(node, path);
    if (s == null) return null;
    if (!HEADER_NAME.matcher(s.value()).matches()) {
      nodes.problems().error(node, path, s.shown("\"" + s.value() + "\" is not a header name (expected e.g."
          + " \"X-Signature\")"));
      return null;
    }
    return s.value();
  }
}
