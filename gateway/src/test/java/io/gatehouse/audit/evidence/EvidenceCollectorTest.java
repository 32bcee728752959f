package io.gatehouse.audit.evidence;

import static io.gatehouse.audit.evidence.SampleLog.PERIOD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.gatehouse.audit.evidence.EvidenceReport.AccessDay;
import io.gatehouse.audit.evidence.EvidenceReport.Anomaly;
import io.gatehouse.audit.evidence.EvidenceReport.Count;
import io.gatehouse.audit.evidence.EvidenceReport.Person;
import io.gatehouse.audit.note.AuditKeyFiles;
import io.gatehouse.audit.verify.LogVerifier;
import io.gatehouse.audit.verify.PublicKeyWindow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's five answers over {@link SampleLog}, each fact checked where it was planted. */
class EvidenceCollectorTest {
  @TempDir static Path tmp;
  private static SampleLog sample;
  private static EvidenceReport report;

  @BeforeAll
  static void buildTheReport() throws Exception {
    sample = SampleLog.write(tmp);
    report = collect(List.of(sample.r1, sample.r2), sample.publicKey, sample.secondPublicKey);
  }

  static EvidenceReport collect(List<Path> dirs, Path... publicKeys) throws Exception {
    List<PublicKeyWindow> keys = new java.util.ArrayList<>();
    for (Path key : publicKeys) {
      keys.add(new PublicKeyWindow(AuditKeyFiles.readPublicKey(key), Optional.empty(), Optional.empty()));
    }
    LogVerifier verifier = new LogVerifier(keys, Optional.empty(), Optional.empty(), Instant.now());
    return new EvidenceCollector(verifier, Clock.systemUTC()).collect(dirs, PERIOD);
  }

  private static AccessDay day(String day) {
    return report.access().days().stream().filter(d -> d.day().equals(LocalDate.parse(day))).findFirst().orElseThrow();
  }

  @Test
  void coversEveryDayOfThePeriodAndNothingOutsideIt() {
    assertThat(report.access().days()).extracting(AccessDay::day)
        .containsExactly(LocalDate.parse("2026-03-10"), LocalDate.parse("2026-03-11"));
    assertThat(report.refusals().days()).extracting(d -> d.day().toString()).containsExactly("2026-03-10", "2026-03-11");
    // 2026-03-12's refusal and request are after the period; 2026-03-09's request before it.
    assertThat(report.refusals().total()).isEqualTo(43);
    assertThat(day("2026-03-11").requests()).isEqualTo(2);
  }

  @Test
  void namesPeopleByTheEmailOfTheirLatestLoginIncludingOneTheEveningBefore() {
    assertThat(day("2026-03-10").people())
        .extracting(Person::subject, Person::email, Person::logins, Person::requests, Person::allowed, Person::refused)
        .containsExactlyInAnyOrder(
            tuple("sub-alice", "alice@example.com", 1L, 5L, 4L, 1L),
            tuple("sub-bob", "bob@example.com", 0L, 1L, 1L, 0L),
            tuple("sub-carol", "carol@example.com", 1L, 1L, 1L, 0L),
            tuple("sub-mallory", SampleLog.HOSTILE_EMAIL, 1L, 1L, 1L, 0L),
            tuple("sub-formula", SampleLog.FORMULA_EMAIL, 1L, 1L, 1L, 0L));
    assertThat(day("2026-03-11").people()).extracting(Person::subject, Person::requests)
        .containsExactly(tuple("sub-alice", 2L));
  }

  @Test
  void listsClientsWithoutAPersonThatReachedN8nByAddressAndCertificate() {
    assertThat(day("2026-03-10").clients()).extracting(c -> c.clientIp(), c -> c.tlsClientSubject(), c -> c.allowed())
        .containsExactly(tuple("203.0.113.5", null, 2L), tuple("203.0.113.6", "CN=partner,O=Example", 1L));
  }

  @Test
  void countsRefusalsByReasonAndSource() {
    assertThat(report.refusals().byReason()).containsExactly(new Count("unauthenticated", 41),
        new Count("forbidden", 1), new Count("route_denied", 1));
    assertThat(report.refusals().topSources()).extracting(s -> s.clientIp(), s -> s.refusals())
        .startsWith(tuple("198.51.100.7", 21L), tuple("198.51.100.8", 20L));
    assertThat(report.refusals().sources()).isEqualTo(4);
    assertThat(report.refusals().topPaths()).contains(new Count(SampleLog.SCRIPT_PATH, 1));
    assertThat(report.refusals().days().get(1).total()).isZero();
  }

  @Test
  void listsConfigEntriesAndTheVersionEachDayStartedWith() {
    assertThat(report.config().changes()).extracting(c -> c.replica(), c -> c.event(), c -> c.sha256())
        .containsExactly(tuple("r2", "load", SampleLog.SHA_A), tuple("r1", "reload", SampleLog.SHA_B),
            tuple("r1", "reload_refused", SampleLog.SHA_C), tuple("r1", "load", SampleLog.SHA_B),
            tuple("r1", "load", SampleLog.SHA_B));
    assertThat(report.config().changes().get(1).changed()).containsExactly("routes[0].allow", "sso.session.idle_timeout");
    assertThat(report.config().dayStarts())
        .extracting(s -> s.day().toString(), s -> s.replica(), s -> s.sha256(), s -> s.basis())
        .containsExactly(
            tuple("2026-03-10", "r1", SampleLog.SHA_A, ConfigTally.BEFORE),
            tuple("2026-03-10", "r2", SampleLog.SHA_A, ConfigTally.FIRST),
            // The refused reload of 13:00 changed nothing: the day after starts with B.
            tuple("2026-03-11", "r1", SampleLog.SHA_B, ConfigTally.BEFORE),
            tuple("2026-03-11", "r2", SampleLog.SHA_A, ConfigTally.BEFORE));
  }

  @Test
  void findsEachAnomalyItsRulesDescribe() {
    assertThat(report.anomalies().found()).extracting(Anomaly::rule, Anomaly::source, Anomaly::count)
        .containsExactly(
            tuple("auth_failure_burst", "198.51.100.7", 21L),
            tuple("alert", "editor", 1L),
            tuple("break_glass", "owner@n8n.local", 1L),
            tuple("unclean_stop", "r1", 1L),
            tuple("signing_key_changed", report.anomalies().found().get(4).source(), 1L));
    Anomaly burst = report.anomalies().found().get(0);
    assertThat(burst.from()).isEqualTo(Instant.parse("2026-03-10T09:00:00Z"));
    assertThat(burst.to()).isEqualTo(Instant.parse("2026-03-10T09:04:40Z"));
    assertThat(report.anomalies().found().get(3).detail()).contains("torn_bytes: " + "{\"config\":\"\",\"kin".length());
    assertThat(report.anomalies().rules()).extracting(EvidenceReport.Rule::code)
        .containsExactly("alert", "auth_failure_burst", "unclean_stop", "break_glass", "signing_key_changed");
  }

  @Test
  void verifiesEachLogWholeAndNamesTheCheckpointsThatSignThePeriod() {
    assertThat(report.intact()).isTrue();
    assertThat(report.integrity()).hasSize(2).allSatisfy(i -> {
      assertThat(i.intact()).isTrue();
      assertThat(i.findings()).isEmpty();
      assertThat(i.checkpointsCovering()).extracting(c -> c.which())
          .containsExactly("first_in_period", "covering_period", "latest");
    });
    var r1 = report.integrity().get(0);
    var first = r1.checkpointsCovering().get(0);
    var covering = r1.checkpointsCovering().get(1);
    var latest = r1.checkpointsCovering().get(2);
    assertThat(first.time()).isAfterOrEqualTo(PERIOD.start());
    assertThat(covering.size()).isLessThanOrEqualTo(latest.size());
    assertThat(latest.size()).isEqualTo(r1.entries());
    assertThat(r1.origin()).isEqualTo("gatehouse.test/audit/r1");
  }

  @Test
  void aLogThatDoesNotVerifyIsReportedWithItsFindings() throws Exception {
    Path copy = tmp.resolve("tampered");
    LogCopies.copy(sample.r2, copy);
    Path edited = LogCopies.editFirstMatch(copy, "\"identity\":\"sub-carol\"", "\"identity\":\"sub-dave\"");
    EvidenceReport tampered = collect(List.of(copy), sample.publicKey);
    assertThat(tampered.intact()).isFalse();
    assertThat(tampered.integrity().get(0).findings()).anySatisfy(f -> {
      assertThat(f.verdict()).isEqualTo("MODIFIED");
      assertThat(f.file()).isEqualTo(edited.toString());
    });
    // The report still shows what the files say: the auditor sees both the edit and that it is one.
    assertThat(tampered.access().days().get(0).people()).extracting(Person::subject).contains("sub-dave");
  }
}
