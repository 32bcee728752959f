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
  private final Optional<RedisConfig> shared;
  private final boolean sharedWritten;

  /**
   * @param redisUrl the same URL rule as {@code rate_limits.redis}
   * @param shared the top-level {@code redis} section, used when {@code replay.redis} is not given
   * @param sharedWritten the file has that section (also when it has errors, which are reported already)
   */
  ReplayReader(NodeReader nodes, NodeReader.ValueReader<URI> redisUrl, Optional<RedisConfig> shared,
      boolean sharedWritten) {
    this.nodes = nodes;
    this.redisUrl = redisUrl;
    this.shared = shared;
    this.sharedWritten = sharedWritten;
  }

  ReplayConfig read(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, KEYS);
    if (m == null) return null;
    String store = nodes.optional(m, "store", "local", (n, p) -> nodes.oneOf(n, p, List.of("local", "redis")));
    URI own = nodes.optional(m, "redis", null, redisUrl);
    boolean redis = "redis".equals(store);
    if (redis && m.get("redis") == null && !sharedWritten) {
      nodes.problems().error(m.keyNode("store"), m.pathOf("store"), "is redis, but there is no redis section (url,"
          + " username, password, tls) nor a replay.redis URL");
    }
    Duration timeout = nodes.optional(m, "timeout", ReplayConfig.DEFAULT_TIMEOUT, nodes::duration);
    Optional<RedisConfig> where = !redis ? Optional.empty()
        : own != null ? Optional.of(RedisConfig.ofUrl(own)) : shared;
    return new ReplayConfig(store == null ? "local" : store, where,
        timeout == null ? ReplayConfig.DEFAULT_TIMEOUT : timeout);
  }
}
