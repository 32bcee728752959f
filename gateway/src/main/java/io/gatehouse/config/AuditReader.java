package io.gatehouse.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code audit} section: where the signed log goes, how it is signed and witnessed, how payloads are scrubbed. */
final class AuditReader {
  private static final List<String> AUDIT_KEYS = List.of("dir", "signing_key", "checkpoint_every", "heartbeat_every",
      "replica", "origin", "witness", "public_keys", "segment", "syslog", "scrub");
  private static final List<String> WITNESS_KEYS = List.of("dir");
  private static final List<String> PUBLIC_KEY_KEYS = List.of("key", "from", "until");
  private static final List<String> SEGMENT_KEYS = List.of("max_size", "max_age");
  private static final List<String> SYSLOG_KEYS = List.of("url", "ca", "cert", "key");
  private static final List<String> SCRUB_KEYS = List.of("keys", "allow_keys", "max_payload");
  /** tlog-tiles caps an entry at 64 KiB; a segment must hold many of them, and a sealed one is compressed whole. */
  private static final long MIN_SEGMENT = 1L << 20;
  private static final Duration MIN_CHECKPOINT_EVERY = Duration.ofMillis(100);

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
    if (checkpointEvery != null && checkpointEvery.compareTo(MIN_CHECKPOINT_EVERY) < 0) {
      nodes.problems().error(m.get("checkpoint_every"), m.pathOf("checkpoint_every"),
          "is shorter than 100ms: each checkpoint costs two fsyncs and a signature");
      checkpointEvery = null;
    }
    Duration heartbeat = nodes.optional(m, "heartbeat_every", AuditConfig.DEFAULT_HEARTBEAT, nodes::duration);
    if (heartbeat != null && checkpointEvery != null && heartbeat.compareTo(checkpointEvery) < 0) {
      nodes.problems().error(m.get("heartbeat_every"), m.pathOf("heartbeat_every"),
          "is shorter than checkpoint_every (" + checkpointEvery + ")");
    }
    String replica = nodes.optional(m, "replica", null, this::logName);
    String origin = nodes.optional(m, "origin", null, this::logName);
    Path witness = nodes.optional(m, "witness", null, this::witness);
    if (witness != null && dir != null && witness.startsWith(dir)) {
      nodes.problems().error(m.get("witness"), m.pathOf("witness") + ".dir",
          "is inside audit.dir: a witness is only worth something where the log's writer cannot rewrite it");
    }
    List<AuditConfig.PublicKey> publicKeys = nodes.optional(m, "public_keys", List.of(),
        (n, p) -> nodes.list(n, p, this::publicKey));
    AuditConfig.Segment segment = nodes.optional(m, "segment", AuditConfig.Segment.DEFAULTS, this::segment);
    AuditConfig.Syslog syslog = nodes.optional(m, "syslog", null, this::syslog);
    AuditConfig.Scrub scrub = nodes.optional(m, "scrub", AuditConfig.Scrub.DEFAULTS, this::scrub);
    if (checkpointEvery == null || heartbeat == null || segment == null || scrub == null) return null;
    return new AuditConfig(dir, Optional.ofNullable(signingKey), checkpointEvery, heartbeat,
        Optional.ofNullable(replica), Optional.ofNullable(origin), Optional.ofNullable(witness), publicKeys, segment,
        Optional.ofNullable(syslog), scrub);
  }

  /** A replica id or origin: one line of printable text without spaces (it becomes a C2SP key name). */
  private String logName(Node node, String path) {
    String text = nodes.string(node, path);
    if (text == null) return null;
    if (text.isEmpty() || text.codePoints().anyMatch(c -> c == '+' || Character.isWhitespace(c)
        || Character.isSpaceChar(c) || Character.isISOControl(c))) {
      nodes.problems().error(node, path, "must be non-empty text without spaces, control characters or '+'"
          + " (it names the log's signing key)");
      return null;
    }
    return text;
  }

  private Path witness(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, WITNESS_KEYS);
    if (m == null) return null;
    return nodes.required(m, "dir", "\"/mnt/worm/gatehouse-checkpoints\"", nodes::file);
  }

  private AuditConfig.PublicKey publicKey(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, PUBLIC_KEY_KEYS);
    if (m == null) return null;
    Path key = nodes.required(m, "key", "\"/etc/gatehouse/audit-2025.pub\"", nodes::file);
    if (key != null) pem.check(m.get("key"), m.pathOf("key"), key, PemFileCheck.PUBLIC_KEY, "a PEM Ed25519 public key");
    Instant from = nodes.optional(m, "from", null, this::instant);
    Instant until = nodes.optional(m, "until", null, this::instant);
    if (from != null && until != null && !from.isBefore(until)) {
      nodes.problems().error(m.get("until"), m.pathOf("until"), "is not after from (" + from + ")");
      return null;
    }
    return key == null ? null : new AuditConfig.PublicKey(key, Optional.ofNullable(from), Optional.ofNullable(until));
  }

  private Instant instant(Node node, String path) {
    String text = nodes.string(node, path);
    if (text == null) return null;
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      nodes.problems().error(node, path, "\"" + text + "\" is not a UTC time (expected e.g. 2026-12-01T00:00:00Z)");
      return null;
    }
  }

  private AuditConfig.Segment segment(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, SEGMENT_KEYS);
    if (m == null) return null;
    Long maxSize = nodes.optional(m, "max_size", AuditConfig.Segment.DEFAULTS.maxSize(), nodes::size);
    Duration maxAge = nodes.optional(m, "max_age", AuditConfig.Segment.DEFAULTS.maxAge(), nodes::duration);
    if (maxSize != null && maxSize < MIN_SEGMENT) {
      nodes.problems().error(m.get("max_size"), m.pathOf("max_size"), "is under 1MiB");
      return null;
    }
    if (maxAge != null && maxAge.compareTo(Duration.ofMinutes(1)) < 0) {
      nodes.problems().error(m.get("max_age"), m.pathOf("max_age"), "is under 1m");
      return null;
    }
    return maxSize == null || maxAge == null ? null : new AuditConfig.Segment(maxSize, maxAge);
  }

  private AuditConfig.Syslog syslog(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, SYSLOG_KEYS);
    if (m == null) return null;
    HostPort target = nodes.required(m, "url", "\"tls://siem.internal:6514\"", this::tlsUrl);
    Path ca = nodes.optional(m, "ca", null, nodes::file);
    if (ca != null) pem.check(m.get("ca"), m.pathOf("ca"), ca, PemFileCheck.CERTIFICATE, "a PEM CA bundle");
    Path cert = nodes.optional(m, "cert", null, nodes::file);
    Path key = nodes.optional(m, "key", null, nodes::file);
    if (cert != null) pem.check(m.get("cert"), m.pathOf("cert"), cert, PemFileCheck.CERTIFICATE, "a PEM certificate");
    if (key != null) pem.check(m.get("key"), m.pathOf("key"), key, PemFileCheck.PRIVATE_KEY, "a PEM private key");
    if ((cert == null) != (key == null)) {
      Node at = m.get(cert == null ? "key" : "cert");
      nodes.problems().error(at, path, "cert and key go together: a client certificate needs its key");
      return null;
    }
    return target == null ? null : new AuditConfig.Syslog(target, Optional.ofNullable(ca), Optional.ofNullable(cert),
        Optional.ofNullable(key));
  }

  /** {@code tls://host:port}: syslog is only sent encrypted (RFC 5425); plain UDP or TCP would carry the log in clear. */
  private HostPort tlsUrl(Node node, String path) {
    String text = nodes.string(node, path);
    if (text == null) return null;
    try {
      URI uri = new URI(text);
      if (!"tls".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0
          || (uri.getPath() != null && !uri.getPath().isEmpty()) || uri.getUserInfo() != null) {
        throw new URISyntaxException(text, "not tls://host:port");
      }
      return new HostPort(uri.getHost().replaceAll("^\\[|\\]$", ""), uri.getPort());
    } catch (URISyntaxException e) {
      nodes.problems().error(node, path, "\"" + text + "\" is not tls://host:port (syslog is sent over TLS only,"
          + " RFC 5425; e.g. tls://siem.internal:6514)");
      return null;
    }
  }

  private AuditConfig.Scrub scrub(Node node, String path) {
    MappingReader m = nodes.mapping(node, path, SCRUB_KEYS);
    if (m == null) return null;
    List<String> keys = nodes.optional(m, "keys", List.of(), (n, p) -> nodes.list(n, p, nodes::string));
    List<String> allow = nodes.optional(m, "allow_keys", List.of(), (n, p) -> nodes.list(n, p, nodes::string));
    Long maxPayload = nodes.optional(m, "max_payload", AuditConfig.Scrub.DEFAULTS.maxPayload(), nodes::size);
    if (maxPayload != null && maxPayload > AuditConfig.Scrub.MAX_PAYLOAD) {
      // The log keeps what a workflow was sent, to explain it; it is not a store of bodies. Past this, one body would
      // take hundreds of entries and seconds of a scrubbing worker.
      nodes.problems().error(m.get("max_payload"), m.pathOf("max_payload"),
          "is larger than 1MiB, the most of a body the audit log keeps");
      maxPayload = null;
    }
    return new AuditConfig.Scrub(keys, allow, maxPayload == null ? 0 : maxPayload);
  }
}
