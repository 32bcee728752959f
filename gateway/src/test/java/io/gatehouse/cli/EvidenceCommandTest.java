package io.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.evidence.EvidenceSamples;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gatehouse evidence} as an operator runs it: options, formats, files and exit statuses. */
class EvidenceCommandTest {
  @TempDir static Path tmp;
  private static EvidenceSamples.Written sample;

  @BeforeAll
  static void writeLogs() throws Exception {
    sample = EvidenceSamples.write(tmp.resolve("logs"));
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static List<String> logArgs(Path... dirs) {
    List<String> args = new ArrayList<>(List.of("evidence"));
    for (Path dir : dirs) args.addAll(List.of("--dir", dir.toString()));
    args.addAll(List.of("--public-key", sample.publicKey().toString(), "--public-key",
        sample.secondPublicKey().toString(), "--from", "2026-03-10", "--to", "2026-03-11"));
    return args;
  }

  @Test
  void writesTheJsonModelToAFileAndExitsZeroWhenEveryLogVerifies() throws Exception {
    Path file = tmp.resolve("report.json");
    List<String> args = logArgs(sample.r1(), sample.r2());
    args.addAll(List.of("--format", "json", "--out", file.toString()));
    Run run = run(args.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("wrote " + file).contains("every log verifies");
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.get("intact").asBoolean()).isTrue();
    assertThat(json.at("/period/from").asText()).isEqualTo("2026-03-10");
    assertThat(json.at("/refusals/total").asLong()).isEqualTo(43);
    assertThat(json.at("/access/days/0/people/0/email").asText()).isEqualTo("alice@example.com");
    assertThat(json.at("/integrity/0/checkpoints_covering/0/which").asText()).isEqualTo("first_in_period");
    assertThat(json.at("/anomalies/rules")).hasSize(5);
    assertThat(Files.list(tmp).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
  }

  @Test
  void printsHtmlToStandardOutputByDefault() {
    Run run = run(logArgs(sample.r1()).toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("<!DOCTYPE html>").contains("<h2>5. Integrity</h2>").endsWith("</html>\n");
  }

  @Test
  void writesCsvSectionsWithATableColumnAndDefusesFormulas() {
    List<String> args = logArgs(sample.r1());
    args.addAll(List.of("--format", "csv"));
    Run run = run(args.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).contains("table,day,subject,email,logins,requests,allowed,refused",
        "refusals_by_reason,total,unauthenticated,41", "refused_paths,/webhook/<script>alert(1)</script>,1");
    assertThat(lines).filteredOn(l -> l.startsWith("people,2026-03-10,sub-formula,"))
        .singleElement().asString().contains(",\"'=HYPERLINK(\"\"http://evil.example\"\")@evil.example\",");
    assertThat(run.out()).contains("\r\n\r\ntable,day,client_ip,tls_client_subject,allowed,refused\r\n");
  }

  @Test
  void exitsOneAndSaysWhereWhenALogDoesNotVerify() throws Exception {
    Path copy = tmp.resolve("tampered");
    EvidenceSamples.copyAndEdit(sample.r2(), copy, "\"identity\":\"sub-carol\"", "\"identity\":\"sub-dave\"");
    List<String> args = logArgs(copy);
    args.addAll(List.of("--format", "json"));
    Run run = run(args.toArray(String[]::new));
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("does not verify");
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("intact").asBoolean()).isFalse();
    assertThat(json.at("/integrity/0/findings/0/verdict").asText()).isEqualTo("MODIFIED");
    assertThat(json.at("/integrity/0/findings/0/file").asText()).startsWith(copy.toString());
  }

  @Test
  void exitsTwoOnABadDayAFormatItDoesNotKnowOrALogThatCannotBeRead() {
    List<String> badDay = logArgs(sample.r1());
    badDay.set(badDay.indexOf("2026-03-11"), "2026-13-01");
    assertThat(run(badDay.toArray(String[]::new))).satisfies(r -> {
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("yyyy-MM-dd");
    });
    List<String> reversed = logArgs(sample.r1());
    reversed.set(reversed.indexOf("2026-03-11"), "2026-03-01");
    assertThat(run(reversed.toArray(String[]::new)).err()).contains("ends (2026-03-01) before it starts");
    List<String> badFormat = logArgs(sample.r1());
    badFormat.addAll(List.of("--format", "pdf"));
    assertThat(run(badFormat.toArray(String[]::new))).satisfies(r -> {
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("expected html, json or csv");
    });
    Run missing = run(logArgs(tmp.resolve("no-such-dir")).toArray(String[]::new));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read the log");
  }
}
