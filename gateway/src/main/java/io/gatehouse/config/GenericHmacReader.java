package io.gatehouse.config;

import io.gatehouse.config.WebhookConfig.GenericHmac;
import io.gatehouse.config.WebhookConfig.GenericHmac.Encoding;
import io.gatehouse.config.WebhookConfig.GenericHmac.Signed;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the keys of a {@code webhooks[]} entry that describe scheme {@code hmac-sha256}, and refuses them elsewhere. */
final class GenericHmacReader {
  /** The keys that describe scheme hmac-sha256; the named schemes fix all of these themselves. */
  static final List<String> KEYS = List.of("header", "encoding", "prefix", "signed", "timestamp_header", "id_header");
  private static final String GENERIC = "hmac-sha256";
  /** An RFC 9110 field name (a token). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final NodeReader nodes;

  GenericHmacReader(NodeReader nodes) {
    this.nodes = nodes;
  }

  /**
   * The settings of scheme hmac-sha256: {@code header} is required, the rest have defaults (hex, no prefix, the
   * body alone, the signature as replay key). On any other scheme these keys are errors: they would be ignored,
   * and someone who wrote them expects them to matter.
   */
  Optional<GenericHmac> read(MappingReader m, String scheme) {
    if (!GENERIC.equals(scheme)) {
      if (scheme != null) {
        for (String key : KEYS) {
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
