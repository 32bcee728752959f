package io.gatehouse.audit.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.AccessRecord;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditLogEvents;
import io.gatehouse.audit.LogEvent;
import io.gatehouse.audit.log.AuditLog;
import io.gatehouse.audit.log.AuditLogSettings;
import io.gatehouse.audit.note.AuditKeyFiles;
import io.gatehouse.audit.note.KeyRing;
import io.gatehouse.audit.note.NoteSigner;
import io.gatehouse.core.Reason;
import io.gatehouse.tls.AuditKeyWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * A real {@link AuditLog} (signed checkpoints, sealed and compressed segments) fed past-dated entries. Its clock
 * follows the entries written, so checkpoints and the {@code start} and {@code stop} entries are dated as they
 * would have been on the day. Writes wait while the writer is behind instead of dropping entries.
 */
final class LogFixture implements AutoCloseable {
  /** Entries in flight at most; the writer's queue holds 65,536. */
  private static final long MAX_BEHIND = 20_000;

  final Path dir;
  private final AuditLog log;
  private final FollowingClock clock;
  private long written;

  private LogFixture(Path dir, AuditLog log, FollowingClock clock) {
    this.dir = dir;
    this.log = log;
    this.clock = clock;
  }

  /** A signing key pair on disk: the signer for the log, the PEM public key for the command line. */
  record Keys(Path publicKey, byte[] seed) {
    static Keys create(Path dir) throws IOException {
      AuditKeyWriter.Written files = new AuditKeyWriter().write(dir.resolve("audit"));
      return new Keys(files.publicKey(), AuditKeyFiles.readSeed(files.privateKey()));
    }

    NoteSigner signer(String origin) {
      return new NoteSigner(origin, seed);
    }
  }

  static String origin(String replica) {
    return "gatehouse.test/audit/" + replica;
  }

  static LogFixture open(Path dir, String replica, Keys keys, long segmentMaxSize, Instant now) throws Exception {
    return open(dir, replica, keys, Optional.empty(), segmentMaxSize, now);
  }

  /** @param previous the key the log was signed with until now: a restart must trust it to continue the log */
  static LogFixture open(Path dir, String replica, Keys keys, Optional<Keys> previous, long segmentMaxSize, Instant now)
      throws Exception {
    return open(dir, replica, keys, previous, segmentMaxSize, Duration.ofMillis(50), now);
  }

  static LogFixture open(Path dir, String replica, Keys keys, Optional<Keys> previous, long segmentMaxSize,
      Duration checkpointEvery, Instant now) throws Exception {
    FollowingClock clock = new FollowingClock(now);
    NoteSigner signer = keys.signer(origin(replica));
    KeyRing trusted = previous.isEmpty() ? KeyRing.of(signer.key())
        : KeyRing.of(signer.key(), previous.get().signer(origin(replica)).key());
    AuditLogSettings settings = new AuditLogSettings(dir, origin(replica), replica, Optional.of(signer),
        trusted, checkpointEvery, Duration.ofMinutes(1), segmentMaxSize, Duration.ofDays(3650),
        Optional.empty(), "test", clock);
    return new LogFixture(dir, AuditLog.open(settings, AuditLogEvents.IGNORE, List.of()), clock);
  }

  static AccessRecord request(Instant time, String id, String identity, String ip, String path, Reason reason,
      String tlsSubject) {
    return new AccessRecord(time, id, "editor", ip, identity, "GET", path, null, reason.status(), 10, 200, 900, reason,
        reason == Reason.NONE ? null : "refused in a test", reason == Reason.NONE ? "127.0.0.1:5678" : null, tlsSubject);
  }

  static LogEvent login(Instant time, String subject, String email, String ip) {
    return LogEvent.of("sso", time, "event", "login", "subject", subject, "email", email, "client_ip", ip,
        "mfa", true);
  }

  static LogEvent config(Instant time, String event, String sha256, String previous, List<String> changed) {
    return LogEvent.of("config", time, "event", event, "path", "/etc/gatehouse/gatehouse.yaml", "sha256", sha256,
        "previous_sha256", previous, "changed", changed);
  }

  void write(AuditEvent event) {
    clock.follow(event.time());
    while (written - log.size() > MAX_BEHIND) LockSupport.parkNanos(100_000);
    assertThat(log.write(event)).as("queued").isTrue();
    written++;
  }

  /** Entries written through {@link #write} so far. */
  long written() {
    return written;
  }

  /** Dates the {@code stop} entry and the last checkpoint. */
  void closeAt(Instant time) {
    clock.follow(time);
    log.close();
  }

  @Override
  public void close() {
    log.close();
  }

  /** Reads as the latest time written, never going back. */
  private static final class FollowingClock extends Clock {
    private volatile Instant now;

    FollowingClock(Instant start) {
      this.now = start;
    }

    void follow(Instant time) {
      if (time.isAfter(now)) now = time;
    }

    @Override public Instant instant() {
      return now;
    }

    @Override public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("UTC only");
    }
  }
}
