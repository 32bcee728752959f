package io.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where webhook delivery ids are remembered so a replay is refused: {@code local} (this replica, in memory) or
 * {@code redis} (shared by every replica, as DESIGN.md §5 asks).
 *
 * @param store local | redis
 * @param redis the shared store's URL; present when {@code store} is redis
 * @param timeout how long one Redis call may take before it counts as the store being down
 */
public record ReplayConfig(String store, Optional<URI> redis, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  public static final ReplayConfig LOCAL = new ReplayConfig("local", Optional.empty(), DEFAULT_TIMEOUT);
}
