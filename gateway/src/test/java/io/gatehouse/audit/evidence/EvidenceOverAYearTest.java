package io.gatehouse.audit.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.log.LogEntries;
import io.gatehouse.audit.log.SegmentName;
import io.gatehouse.audit.log.Segments;
import io.gatehouse.audit.note.AuditKeyFiles;
import io.gatehouse.audit.verify.LogVerifier;
import io.gatehouse.audit.verify.PublicKeyWindow;
import io.gatehouse.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * "One day out of a year-sized log in under a minute": a year of entries written through the real writer (364 days,
 * {@value YearOfLog#SPARSE_PER_DAY} entries on ordinary days, {@value YearOfLog#BUSY_ENTRIES} on the busy one,
 * segments rolled by size), then {@code gatehouse evidence} for the busy day, timed, and its numbers compared with
 * those counted while writing. The times are printed and kept in {@code target/evidence-timings.txt}.
 */
class EvidenceOverAYearTest {
  private static final Duration GENERATION_LIMIT = Duration.ofSeconds(60);
  private static final Duration REPORT_LIMIT = Duration.ofSeconds(60);

  @TempDir static Path tmp;
  private static Path dir;
  private static LogFixture.Keys keys;
  private static YearOfLog.Expected expected;
  private static final List<String> timings = new ArrayList<>();

  @BeforeAll
  static void writeAYear() throws Exception {
    keys = LogFixture.Keys.create(tmp);
    dir = tmp.resolve("audit");
    long started = System.nanoTime();
    LogFixture log = LogFixture.open(dir, "r1", keys, Optional.empty(), 1 << 20, Duration.ofMillis(20),
        YearOfLog.FIRST.atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    expected = new YearOfLog().write(log);
    log.closeAt(YearOfLog.FIRST.plusDays(YearOfLog.DAYS).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    Duration generation = Duration.ofNanos(System.nanoTime() - started);
    List<SegmentName> segments = Segments.list(dir);
    long bytes = 0;
    for (SegmentName s : segments) bytes += Files.size(dir.resolve(s.fileName()));
    record("generated " + expected.written + " entries in " + segments.size() + " segments (" + (bytes >> 20)
        + " MiB on disk, gzip) in " + generation.toMillis() + " ms");
    assertThat(generation).as("generation time").isLessThan(GENERATION_LIMIT);
  }

  @Test
  void reportsTheBusyDayOfAYearInUnderAMinuteWithTheNumbersWrittenThatDay() throws Exception {
    Path out = tmp.resolve("busy.json");
    long started = System.nanoTime();
    int code = run("--format", "json", "--out", out.toString());
    Duration json = Duration.ofNanos(System.nanoTime() - started);
    record("evidence --format json for " + YearOfLog.BUSY + ": " + json.toMillis() + " ms (exit " + code + ")");
    assertThat(code).isZero();
    assertThat(json).isLessThan(REPORT_LIMIT);

    started = System.nanoTime();
    assertThat(run("--format", "html", "--out", tmp.resolve("busy.html").toString())).isZero();
    record("evidence --format html: " + (System.nanoTime() - started) / 1_000_000 + " ms, "
        + Files.size(tmp.resolve("busy.html")) / 1024 + " KiB");
    // Kept for a person to look at: a real day's report at scale.
    Files.copy(tmp.resolve("busy.html"), Path.of("target", "evidence-busy-day.html"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    timeTheParts();

    JsonNode report = new ObjectMapper().readTree(out.toFile());
    assertThat(report.get("intact").asBoolean()).isTrue();
    assertThat(report.at("/access/days")).hasSize(1);
    JsonNode day = report.at("/access/days/0");
    assertThat(day.get("day").asText()).isEqualTo(YearOfLog.BUSY.toString());
    assertThat(day.get("requests").asLong()).isEqualTo(expected.requests);
    assertPeople(day.get("people"));
    assertClients(day.get("clients"));
    assertRefusals(report.get("refusals"));
    assertConfig(report.get("config"));
    assertAnomalies(report.at("/anomalies/found"));
    JsonNode integrity = report.at("/integrity/0");
    assertThat(integrity.get("entries").asLong()).isEqualTo(expected.written + 2); // and the start and stop entries
    assertThat(integrity.get("findings")).isEmpty();
    assertThat(integrity.at("/checkpoints_covering/0/time").asText()).startsWith(YearOfLog.BUSY.toString());
    assertThat(integrity.at("/checkpoints_covering/1/which").asText()).isEqualTo("covering_period");
  }

  private static void assertPeople(JsonNode people) {
    Map<String, String> actual = new TreeMap<>();
    for (JsonNode p : people) {
      actual.put(p.get("subject").asText(), p.path("email").asText(null) + " " + p.get("logins").asLong() + " "
          + p.get("requests").asLong() + " " + p.get("allowed").asLong() + " " + p.get("refused").asLong());
    }
    Map<String, String> wanted = new TreeMap<>();
    expected.people.forEach((subject, c) -> wanted.put(subject, expected.emails.get(subject) + " " + c[0] + " " + c[1]
        + " " + c[2] + " " + c[3]));
    assertThat(actual).hasSize(61).isEqualTo(wanted);
    assertThat(actual.get("sub-night")).startsWith("night@example.com 0 ");
    assertThat(actual.get("sub-b0")).startsWith("b0.new@example.com 2 ");
  }

  private static void assertClients(JsonNode clients) {
    Map<String, String> actual = new TreeMap<>();
    for (JsonNode c : clients) {
      actual.put(c.get("client_ip").asText() + "|" + c.path("tls_client_subject").asText(null),
          c.get("allowed").asLong() + " " + c.get("refused").asLong());
    }
    Map<String, String> wanted = new TreeMap<>();
    expected.clients.forEach((key, c) -> {
      if (c[0] > 0) wanted.put(key, c[0] + " " + c[1]);
    });
    assertThat(actual).hasSize(10).isEqualTo(wanted);
  }

  private static void assertRefusals(JsonNode refusals) {
    assertThat(refusals.get("total").asLong()).isEqualTo(expected.refusals);
    Map<String, Long> reasons = new TreeMap<>();
    refusals.get("by_reason").forEach(c -> reasons.put(c.get("key").asText(), c.get("count").asLong()));
    assertThat(reasons).isEqualTo(expected.reasons);
    assertThat(refusals.get("sources").asLong()).isEqualTo(expected.sources.size());
    List<String> top = new ArrayList<>();
    refusals.get("top_sources").forEach(s -> top.add(s.get("client_ip").asText() + " " + s.get("refusals").asLong()));
    List<String> wanted = expected.sources.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(RefusalTally.TOP).map(e -> e.getKey() + " " + e.getValue()).toList();
    assertThat(top).isEqualTo(wanted).first().isEqualTo(YearOfLog.BURST_SOURCE + " " + YearOfLog.BURST);
  }

  private static void assertConfig(JsonNode config) {
    List<String> events = new ArrayList<>();
    config.get("changes").forEach(c -> events.add(c.get("event").asText()));
    assertThat(events).isEqualTo(expected.configEvents).containsExactly("reload", "reload_refused");
    assertThat(config.at("/day_starts/0/sha256").asText()).isEqualTo(expected.dayStartSha);
    assertThat(config.at("/day_starts/0/basis").asText()).isEqualTo(ConfigTally.BEFORE);
  }

  private static void assertAnomalies(JsonNode found) {
    Map<String, Long> byRule = new HashMap<>();
    found.forEach(a -> byRule.merge(a.get("rule").asText(), 1L, Long::sum));
    assertThat(byRule).isEqualTo(Map.of("auth_failure_burst", 1L, "alert", expected.alerts, "break_glass",
        expected.breakGlass));
    JsonNode burst = null;
    for (JsonNode a : found) if (a.get("rule").asText().equals("auth_failure_burst")) burst = a;
    assertThat(burst.get("source").asText()).isEqualTo(YearOfLog.BURST_SOURCE);
    assertThat(burst.get("count").asLong()).isEqualTo(YearOfLog.BURST);
  }

  /** Where the time goes: the whole-log check, and reading the day's segments. */
  private static void timeTheParts() throws Exception {
    LogVerifier verifier = new LogVerifier(List.of(new PublicKeyWindow(AuditKeyFiles.readPublicKey(keys.publicKey()),
        Optional.empty(), Optional.empty())), Optional.empty(), Optional.empty(), Instant.now());
    long started = System.nanoTime();
    LogVerifier.Result result = verifier.verify(dir);
    record("  of which verify-log over the whole log (" + result.entries() + " entries, " + result.checkpoints()
        + " checkpoints): " + (System.nanoTime() - started) / 1_000_000 + " ms");
    Period busy = new Period(YearOfLog.BUSY, YearOfLog.BUSY);
    long[] read = {0};
    started = System.nanoTime();
    LogEntries.forEachBetween(dir, busy.start().minus(Duration.ofDays(1)), busy.end(), e -> read[0]++);
    record("  of which reading and parsing the day's (and the day before's) segments (" + read[0] + " entries): "
        + (System.nanoTime() - started) / 1_000_000 + " ms");
  }

  private static int run(String... extra) {
    List<String> args = new ArrayList<>(List.of("evidence", "--dir", dir.toString(), "--public-key",
        keys.publicKey().toString(), "--from", YearOfLog.BUSY.toString(), "--to", YearOfLog.BUSY.toString()));
    args.addAll(List.of(extra));
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
        .execute(args.toArray(String[]::new));
    assertThat(err.toString()).isEmpty();
    return code;
  }

  private static void record(String line) throws Exception {
    System.out.println("EvidenceOverAYearTest: " + line);
    timings.add(line);
    Files.write(Path.of("target", "evidence-timings.txt"), timings);
  }
}
