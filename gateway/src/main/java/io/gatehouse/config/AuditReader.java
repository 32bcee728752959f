package io.gatehouse.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code audit} section: where the decision log goes, how it is signed, how payloads are scrubbed. */
final class AuditReader {
  private static final List<String> AUDIT_KEYS = List.of("dir", "signing_key", "checkpoint_every", "scrub");
  private static final List<String> SCRUB_KEYS = List.of("keys", "max_payload");

  private final NodeReader nodes;
  private final PemFileCheck pem;

  AuditReader(NodeReader nodes, PemFileCheck pem) {
    this.nodes = nodes;
    this.pem = pem;
  }

  AuditConfig read(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, AUDIT_KEYS);
    if (m == null) return null;
    Path dir = nodes.required(m, "dir", "\"/var/log/gatehouse\"", nodes::file);
    if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
      nodes.problems().error(m.get("dir"), m.pathOf("dir"), dir + " exists and is not a directory");
    }
    Path signingKey = nodes.optional(m, "signing_key", null, nodes::file);
    if (m.get("signing_key") == null) {
      Node at = m.keyNode("signing_key") != null ? m.keyNode("signing_key") : node;
      nodes.problems().warning(at, m.pathOf("signing_key"), "not set: checkpoints are not signed, so whoever can"
          + " write the log directory can rewrite it undetected (create one with: gatehouse keygen --out audit)");
    } else {
      pem.check(m.get("signing_key"), m.pathOf("signing_key"), signingKey, PemFileCheck.PRIVATE_KEY,
          "a PEM (PKCS#8) Ed25519 private key");
    }
    Duration checkpointEvery = nodes.optional(m, "checkpoint_every", Duration.ofSeconds(1), nodes::duration);
    AuditConfig.Scrub scrub = nodes.optional(m, "scrub", new AuditConfig.Scrub(List.of(), 64L << 10), this::scrub);
    return new AuditConfig(dir, Optional.ofNullable(signingKey), checkpointEvery, scrub);
  }

  private AuditConfig.Scrub scrub(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, SCRUB_KEYS);
    if (m == null) return null;
    List<String> keys = nodes.optional(m, "keys", List.of(), (n, p) -> nodes.list(n, p, nodes::string));
    Long maxPayload = nodes.optional(m, "max_payload", 64L << 10, nodes::size);
    return new AuditConfig.Scrub(keys, maxPayload == null ? 0 : maxPayload);
  }
}
