package io.gatehouse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The decision log.
 *
 * @param dir where log files are written
 * @param signingKey Ed25519 PKCS#8 PEM used to sign checkpoints (absent: unsigned, with a {@code check} warning)
 */
public record AuditConfig(Path dir, Optional<Path> signingKey, Duration checkpointEvery, Scrub scrub) {

  /** PHI scrubbing of payloads a route opts in to log. */
  public record Scrub(List<String> keys, long maxPayload) {
    public Scrub {
      keys = List.copyOf(keys);
    }
  }
}
