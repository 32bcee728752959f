package io.gatehouse.audit.log;

import io.gatehouse.audit.note.KeyRing;
import io.gatehouse.audit.note.NoteSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one replica's audit log is written.
 *
 * @param signer signs checkpoints; empty: checkpoints are written unsigned (and {@code check} warned)
 * @param trusted the keys a restart accepts the last checkpoint from: the signer's and {@code audit.public_keys}
 * @param version the gateway's version, for the {@code start} entry
 */
public record AuditLogSettings(
    Path dir,
    String origin,
    String replica,
    Optional<NoteSigner> signer,
    KeyRing trusted,
    Duration checkpointEvery,
    Duration heartbeatEvery,
    long segmentMaxSize,
    Duration segmentMaxAge,
    Optional<Path> witnessDir,
    String version,
    Clock clock) {

  public AuditLogSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(replica, "replica");
  }

  /** Defaults for tests: unsigned, 1 s checkpoints, 1 min heartbeats, 256 MiB / 1 day segments, no witness. */
  public static AuditLogSettings defaults(Path dir) {
    return new AuditLogSettings(dir, "gatehouse.test/audit/r1", "r1", Optional.empty(), new KeyRing(java.util.List.of()),
        Duration.ofSeconds(1), Duration.ofMinutes(1), 256L << 20, Duration.ofDays(1), Optional.empty(), "test",
        Clock.systemUTC());
  }

  public AuditLogSettings withSigner(NoteSigner signer) {
    return new AuditLogSettings(dir, origin, replica, Optional.of(signer),
        new KeyRing(java.util.List.of(new KeyRing.Trusted(signer.key(), Optional.empty(), Optional.empty()))),
        checkpointEvery, heartbeatEvery, segmentMaxSize, segmentMaxAge, witnessDir, version, clock);
  }

  public AuditLogSettings withCheckpointEvery(Duration every) {
    return new AuditLogSettings(dir, origin, replica, signer, trusted, every, heartbeatEvery, segmentMaxSize,
        segmentMaxAge, witnessDir, version, clock);
  }

  public AuditLogSettings withSegmentMaxSize(long bytes) {
    return new AuditLogSettings(dir, origin, replica, signer, trusted, checkpointEvery, heartbeatEvery, bytes,
        segmentMaxAge, witnessDir, version, clock);
  }

  public AuditLogSettings withWitness(Path witness) {
    return new AuditLogSettings(dir, origin, replica, signer, trusted, checkpointEvery, heartbeatEvery, segmentMaxSize,
        segmentMaxAge, Optional.of(witness), version, clock);
  }
}
