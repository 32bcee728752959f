package io.gatehouse.cli;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.audit.AuditSink;
import io.gatehouse.audit.log.AuditLog;
import io.gatehouse.audit.log.AuditLogException;
import io.gatehouse.audit.log.AuditLogSettings;
import io.gatehouse.audit.note.AuditKeyFiles;
import io.gatehouse.audit.note.KeyRing;
import io.gatehouse.audit.note.NoteKey;
import io.gatehouse.audit.note.NoteSigner;
import io.gatehouse.audit.syslog.SyslogForwarder;
import io.gatehouse.audit.syslog.SyslogOptions;
import io.gatehouse.config.AuditConfig;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.tls.TlsMaterialException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns the {@code audit} section into an open {@link AuditLog}: keys read, replica and origin settled. */
final class AuditLogOpener {
  private AuditLogOpener() {}

  /** The log, with a {@link SyslogForwarder} as its sink when {@code audit.syslog} is set. */
  static AuditLog open(GatehouseConfig config, GatewayMetrics metrics) throws AuditLogException {
    AuditLogSettings settings = settings(config);
    List<AuditSink> sinks = new ArrayList<>();
    if (config.audit().syslog().isPresent()) {
      try {
        sinks.add(new SyslogForwarder(config.audit().syslog().get(), settings.replica(), settings.origin(),
            SyslogOptions.DEFAULTS, metrics));
      } catch (TlsMaterialException e) {
        throw new AuditLogException("audit.syslog: " + e.getMessage(), e);
      }
    }
    try {
      return AuditLog.open(settings, metrics, sinks);
    } catch (AuditLogException | RuntimeException e) {
      sinks.forEach(AuditSink::close);
      throw e;
    }
  }

  static AuditLogSettings settings(GatehouseConfig config) throws AuditLogException {
    AuditConfig audit = config.audit();
    String replica = audit.replica().orElseGet(AuditLogOpener::defaultReplica);
    String origin = audit.origin().orElseGet(() -> defaultOrigin(config, replica));
    Optional<NoteSigner> signer = Optional.empty();
    List<KeyRing.Trusted> trusted = new ArrayList<>();
    try {
      if (audit.signingKey().isPresent()) {
        NoteSigner s = new NoteSigner(origin, AuditKeyFiles.readSeed(audit.signingKey().get()));
        signer = Optional.of(s);
        trusted.add(new KeyRing.Trusted(s.key(), Optional.empty(), Optional.empty()));
      }
      for (AuditConfig.PublicKey key : audit.publicKeys()) {
        trusted.add(new KeyRing.Trusted(new NoteKey(origin, AuditKeyFiles.readPublicKey(key.file())), key.from(),
            key.until()));
      }
    } catch (IOException e) {
      throw new AuditLogException("audit: " + e.getMessage(), e);
    }
    return new AuditLogSettings(audit.dir(), origin, replica, signer, new KeyRing(trusted), audit.checkpointEvery(),
        audit.heartbeatEvery(), audit.segment().maxSize(), audit.segment().maxAge(), audit.witnessDir(),
        Main.Version.text(), Clock.systemUTC());
  }

  /**
   * {@code GATEHOUSE_REPLICA_ID}, else the host name: stable across restarts of one pod of a StatefulSet, which the
   * log needs (its origin, and so its signing key's name, includes the replica). The name is read as the kernel has
   * it, never looked up: the gateway never asks a resolver anything (IpLiteralTest), and a slow DNS must not stall
   * a start.
   */
  static String defaultReplica() {
    for (String candidate : new String[] {System.getenv("GATEHOUSE_REPLICA_ID"), System.getenv("HOSTNAME"),
        read("/proc/sys/kernel/hostname"), read("/etc/hostname")}) {
      if (candidate != null && !candidate.isBlank()) return candidate.strip().replaceAll("[^A-Za-z0-9._-]", "_");
    }
    return "gatehouse";
  }

  private static String read(String file) {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of(file));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static String defaultOrigin(GatehouseConfig config, String replica) {
    String host = config.server().publicUrl() == null ? "gatehouse" : config.server().publicUrl().getHost();
    return (host == null ? "gatehouse" : host) + "/audit/" + replica;
  }
}
