package io.gatehouse.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Where webhook delivery ids are remembered so a replay is refused: {@code local} (this replica, in memory) or
 * {@code redis} (shared by every replica, as DESIGN.md §5 asks).
 *
 * @param store local | redis
 * @param redis how to reach the shared store: {@code replay.redis} when it has a URL of its own, else the top-level
 *     {@code redis} section; present exactly when {@code store} is redis
 * @param timeout how long one Redis call may take before it counts as the store being down
 */
public record ReplayConfig(String store, Optional<RedisConfig> redis, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  public static final ReplayConfig LOCAL = new ReplayConfig("local", Optional.empty(), DEFAULT_TIMEOUT);
}
