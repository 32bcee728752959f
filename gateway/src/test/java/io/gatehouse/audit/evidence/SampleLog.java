package io.gatehouse.audit.evidence;

import static io.gatehouse.audit.evidence.LogFixture.config;
import static io.gatehouse.audit.evidence.LogFixture.login;
import static io.gatehouse.audit.evidence.LogFixture.request;

import io.gatehouse.audit.LogEvent;
import io.gatehouse.audit.log.SegmentName;
import io.gatehouse.core.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * Two replicas' logs around the period 2026-03-10..2026-03-11, each fact placed so that one assertion can check
 * it: a person named only by a login the evening before, a later login with a new e-mail, clients without a person,
 * a source just over and one just at the burst threshold, a reload and a refused reload, an alert, a break-glass
 * login, an unclean restart and a key rotation, an attacker's path and e-mail, and entries on both sides of the
 * period that must not count.
 */
final class SampleLog {
  static final Period PERIOD = new Period(java.time.LocalDate.parse("2026-03-10"), java.time.LocalDate.parse("2026-03-11"));
  static final String SHA_A = "a1".repeat(32);
  static final String SHA_B = "b2".repeat(32);
  static final String SHA_C = "c3".repeat(32);
  static final String SCRIPT_PATH = "/webhook/<script>alert(1)</script>";
  static final String HOSTILE_EMAIL = "\"><img src=x onerror=alert(2)>@evil.example";
  static final String FORMULA_EMAIL = "=HYPERLINK(\"http://evil.example\")@evil.example";

  final Path r1;
  final Path r2;
  final Path publicKey;
  final Path secondPublicKey;

  private SampleLog(Path r1, Path r2, Path publicKey, Path secondPublicKey) {
    this.r1 = r1;
    this.r2 = r2;
    this.publicKey = publicKey;
    this.secondPublicKey = secondPublicKey;
  }

  static Instant at(String time) {
    return Instant.parse(time);
  }

  static SampleLog write(Path root) throws Exception {
    Path keyDir = Files.createDirectories(root.resolve("keys1"));
    Path keyDir2 = Files.createDirectories(root.resolve("keys2"));
    LogFixture.Keys keys = LogFixture.Keys.create(keyDir);
    LogFixture.Keys rotated = LogFixture.Keys.create(keyDir2);
    Path r1 = root.resolve("r1");
    Path r2 = root.resolve("r2");
    writeReplicaOne(r1, keys, rotated);
    writeReplicaTwo(r2, keys);
    return new SampleLog(r1, r2, keys.publicKey(), rotated.publicKey());
  }

  private static void writeReplicaOne(Path dir, LogFixture.Keys keys, LogFixture.Keys rotated) throws Exception {
    LogFixture log = LogFixture.open(dir, "r1", keys, 6_000, at("2026-03-08T10:00:00Z"));
    log.write(config(at("2026-03-08T10:00:00.100Z"), "load", SHA_A, null, null));
    log.write(login(at("2026-03-08T11:00:00Z"), "sub-alice", "alice.ancient@example.com", "10.0.0.2"));
    log.write(login(at("2026-03-09T09:00:00Z"), "sub-alice", "alice.old@example.com", "10.0.0.2"));
    log.write(request(at("2026-03-09T09:00:01Z"), "q-0", "sub-alice", "10.0.0.2", "/rest/login", Reason.NONE, null));
    log.write(login(at("2026-03-09T23:30:00Z"), "sub-bob", "bob@example.com", "10.0.0.3"));
    log.write(request(at("2026-03-10T00:10:00Z"), "q-1", "sub-bob", "10.0.0.3", "/rest/workflows", Reason.NONE, null));
    log.write(login(at("2026-03-10T08:00:00Z"), "sub-alice", "alice@example.com", "10.0.0.2"));
    for (int i = 0; i < 3; i++) {
      log.write(request(at("2026-03-10T08:01:0" + i + "Z"), "q-a" + i, "sub-alice", "10.0.0.2", "/rest/workflows",
          Reason.NONE, null));
    }
    log.write(request(at("2026-03-10T08:02:00Z"), "q-a3", "sub-alice", "10.0.0.2", "/rest/users", Reason.FORBIDDEN, null));
    log.write(login(at("2026-03-10T08:30:00Z"), "sub-mallory", HOSTILE_EMAIL, "10.0.0.66"));
    log.write(request(at("2026-03-10T08:30:01Z"), "q-m", "sub-mallory", "10.0.0.66", "/rest/me", Reason.NONE, null));
    log.write(login(at("2026-03-10T08:40:00Z"), "sub-formula", FORMULA_EMAIL, "10.0.0.67"));
    log.write(request(at("2026-03-10T08:40:01Z"), "q-f", "sub-formula", "10.0.0.67", "/rest/me", Reason.NONE, null));
    log.write(request(at("2026-03-10T08:50:00Z"), "q-w1", null, "203.0.113.5", "/webhook/claims", Reason.NONE, null));
    log.write(request(at("2026-03-10T08:51:00Z"), "q-w2", null, "203.0.113.5", "/webhook/claims", Reason.NONE, null));
    log.write(request(at("2026-03-10T08:52:00Z"), "q-w3", null, "203.0.113.6", "/webhook/partner", Reason.NONE,
        "CN=partner,O=Example"));
    // 21 refused authentications within five minutes: a burst; 20 from the next source: not one.
    for (int i = 0; i < 21; i++) {
      log.write(request(at("2026-03-10T09:00:00Z").plusSeconds(i * 14), "q-b" + i, null, "198.51.100.7", "/rest/login",
          Reason.UNAUTHENTICATED, null));
    }
    for (int i = 0; i < 20; i++) {
      log.write(request(at("2026-03-10T09:30:00Z").plusSeconds(i * 14), "q-c" + i, null, "198.51.100.8", "/rest/login",
          Reason.UNAUTHENTICATED, null));
    }
    log.write(request(at("2026-03-10T10:00:00Z"), "q-x", null, "192.0.2.1", SCRIPT_PATH, Reason.ROUTE_DENIED, null));
    log.write(config(at("2026-03-10T12:00:00Z"), "reload", SHA_B, SHA_A,
        List.of("routes[0].allow", "sso.session.idle_timeout")));
    log.write(LogEvent.of("config", at("2026-03-10T13:00:00Z"), "event", "reload_refused", "path",
        "/etc/gatehouse/gatehouse.yaml", "sha256", SHA_C, "errors", 2L));
    log.write(LogEvent.of("alert", at("2026-03-10T14:00:00Z"), "type", "upstream_down", "route", "editor", "detail",
        "n8n did not answer for 60 s"));
    log.write(LogEvent.of("sso", at("2026-03-10T15:00:00Z"), "event", "break_glass", "subject", "owner@n8n.local",
        "client_ip", "10.9.9.9", "detail", "n8n password login through break_glass"));
    log.write(request(at("2026-03-11T09:00:00Z"), "q-a4", "sub-alice", "10.0.0.2", "/rest/workflows", Reason.NONE, null));
    log.closeAt(at("2026-03-11T09:00:05Z"));

    // What a crash leaves: half a line after the last checkpoint. The next start says so (torn_bytes).
    Path open = Files.list(dir).filter(p -> SegmentName.parse(p.getFileName().toString()).map(SegmentName::isOpen)
        .orElse(false)).findFirst().orElseThrow();
    Files.writeString(open, "{\"config\":\"\",\"kin", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    LogFixture again = LogFixture.open(dir, "r1", keys, 6_000, at("2026-03-11T10:00:00Z"));
    again.write(config(at("2026-03-11T10:00:00.200Z"), "load", SHA_B, null, null));
    again.write(request(at("2026-03-11T10:05:00Z"), "q-a5", "sub-alice", "10.0.0.2", "/rest/workflows", Reason.NONE, null));
    again.closeAt(at("2026-03-11T11:00:00Z"));

    // A new signing key: the next start writes a key entry.
    LogFixture rotatedLog =
        LogFixture.open(dir, "r1", rotated, java.util.Optional.of(keys), 6_000, at("2026-03-11T20:00:00Z"));
    rotatedLog.write(config(at("2026-03-11T20:00:00.200Z"), "load", SHA_B, null, null));
    rotatedLog.write(request(at("2026-03-12T08:00:00Z"), "q-after", "sub-alice", "10.0.0.2", "/rest/workflows",
        Reason.NONE, null));
    rotatedLog.write(request(at("2026-03-12T08:00:01Z"), "q-after2", null, "198.51.100.9", "/rest/login",
        Reason.UNAUTHENTICATED, null));
    rotatedLog.closeAt(at("2026-03-12T08:00:02Z"));
  }

  private static void writeReplicaTwo(Path dir, LogFixture.Keys keys) throws Exception {
    LogFixture log = LogFixture.open(dir, "r2", keys, 1 << 20, at("2026-03-10T07:00:00Z"));
    log.write(config(at("2026-03-10T07:00:00.100Z"), "load", SHA_A, null, null));
    log.write(login(at("2026-03-10T07:10:00Z"), "sub-carol", "carol@example.com", "10.0.1.4"));
    log.write(request(at("2026-03-10T07:10:01Z"), "q-r2", "sub-carol", "10.0.1.4", "/rest/workflows", Reason.NONE, null));
    log.write(request(at("2026-03-10T07:10:02Z"), "q-r2b", "sub-alice", "10.0.0.2", "/rest/workflows", Reason.NONE, null));
    log.closeAt(at("2026-03-10T07:20:00Z"));
  }
}
