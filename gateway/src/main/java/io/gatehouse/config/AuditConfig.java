package io.gatehouse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The signed audit log (docs/audit-log.md).
 *
 * @param dir where this replica's segments are written; one directory per replica
 * @param signingKey Ed25519 PKCS#8 PEM used to sign checkpoints (absent: unsigned, with a {@code check} warning)
 * @param checkpointEvery how often a checkpoint is signed while entries arrive
 * @param heartbeatEvery how often one is signed when no entry arrived (same size, newer time)
 * @param replica the replica id in every entry; absent: {@code GATEHOUSE_REPLICA_ID}, else the host name
 * @param origin the checkpoint origin line; absent: the public URL's host, {@code /audit/}, the replica
 * @param witnessDir a second copy of every checkpoint, where the gateway can append but not rewrite
 * @param publicKeys earlier signing keys (public halves) with their validity windows, for rotation
 */
public record AuditConfig(
    Path dir,
    Optional<Path> signingKey,
    Duration checkpointEvery,
    Duration heartbeatEvery,
    Optional<String> replica,
    Optional<String> origin,
    Optional<Path> witnessDir,
    List<PublicKey> publicKeys,
    Segment segment,
    Optional<Syslog> syslog,
    Scrub scrub) {

  public static final Duration DEFAULT_HEARTBEAT = Duration.ofMinutes(1);

  public AuditConfig {
    publicKeys = List.copyOf(publicKeys);
  }

  /** A minimal section: a directory and every default (tests and tools). */
  public static AuditConfig inDir(Path dir) {
    return new AuditConfig(dir, Optional.empty(), Duration.ofSeconds(1), DEFAULT_HEARTBEAT, Optional.empty(),
        Optional.empty(), Optional.empty(), List.of(), Segment.DEFAULTS, Optional.empty(), Scrub.DEFAULTS);
  }

  /** The same section with another signing key (tests). */
  public AuditConfig withSigningKey(Path key) {
    return new AuditConfig(dir, Optional.of(key), checkpointEvery, heartbeatEvery, replica, origin, witnessDir,
        publicKeys, segment, syslog, scrub);
  }

  /** An earlier signing key, trusted for checkpoints whose time lies in {@code [from, until)}. */
  public record PublicKey(Path file, Optional<Instant> from, Optional<Instant> until) {}

  /** When the open segment is sealed and the next one started. */
  public record Segment(long maxSize, Duration maxAge) {
    public static final Segment DEFAULTS = new Segment(256L << 20, Duration.ofDays(1));
  }

  /**
   * RFC 5424 syslog over TLS (RFC 5425) to a SIEM collector.
   *
   * @param target the collector's {@code host:port} (from {@code tls://host:port})
   * @param ca PEM bundle the collector's certificate is checked against; absent: the JDK's trust store
   * @param cert client certificate chain (PEM) for a collector that asks for one
   * @param key its private key (PEM)
   */
  public record Syslog(HostPort target, Optional<Path> ca, Optional<Path> cert, Optional<Path> key) {}

  /** PHI scrubbing of payloads a route opts in to log. */
  public record Scrub(List<String> keys, List<String> allowKeys, long maxPayload) {
    public static final Scrub DEFAULTS = new Scrub(List.of(), List.of(), 64L << 10);
    /** The largest {@code max_payload}: 1 MiB. */
    public static final long MAX_PAYLOAD = 1L << 20;

    public Scrub {
      keys = List.copyOf(keys);
      allowKeys = List.copyOf(allowKeys);
    }
  }
}
