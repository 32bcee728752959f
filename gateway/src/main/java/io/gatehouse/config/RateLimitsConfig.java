package io.gatehouse.config;

import java.net.URI;
import java.util.Optional;

/** Where rate-limit buckets live: {@code local} (this replica) or {@code redis} (shared by replicas). */
public record RateLimitsConfig(String store, Optional<URI> redis) {}
