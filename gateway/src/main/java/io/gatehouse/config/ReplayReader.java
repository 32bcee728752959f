package io.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code replay} section: where webhook replay protection remembers deliveries. */
final class ReplayReader {
  static final List<String> KEYS = List.of("store", "redis", "timeout");

  private final NodeReader nodes;
  private final NodeReader.ValueReader<URI> redisUrl;

  /** @param redisUrl the same URL rule as {@code rate_limits.redis} */
  ReplayReader(NodeReader nodes, NodeReader.ValueReader<URI> redisUrl) {
    this.nodes = nodes;
    this.redisUrl = redisUrl;
  }

  ReplayConfig read(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, KEYS);
    if (m == null) return null;
    String store = nodes.optional(m, "store", "local", (n, p) -> nodes.oneOf(n, p, List.of("local", "redis")));
    URI redis = nodes.optional(m, "redis", null, redisUrl);
    if ("redis".equals(store) && m.get("redis") == null) {
      Node at = m.keyNode("redis") != null ? m.keyNode("redis") : node;
      nodes.problems().error(at, m.pathOf("redis"),
          "is required when store is redis (e.g. \"redis://127.0.0.1:6379\")");
    }
    Duration timeout = nodes.optional(m, "timeout", ReplayConfig.DEFAULT_TIMEOUT, nodes::duration);
    return new ReplayConfig(
        store, Optional.ofNullable(redis), timeout == null ? ReplayConfig.DEFAULT_TIMEOUT : timeout);
  }
}
