package io.gatehouse.cli;

import io.gatehouse.audit.evidence.EvidenceCollector;
import io.gatehouse.audit.evidence.EvidenceReport;
import io.gatehouse.audit.evidence.Period;
import io.gatehouse.audit.evidence.ReportFormat;
import io.gatehouse.audit.verify.LogVerifier;
import io.gatehouse.audit.verify.PublicKeyWindow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse evidence}: the auditor's report for a period, from the audit log alone. */
@Command(name = "evidence", mixinStandardHelpOptions = true,
    description = {
        "The auditor's report for the days --from to --to (UTC, both included), from the audit log alone.",
        "It answers who reached n8n per day, what was refused by reason and source, which config versions were in"
            + " force, what looked wrong (with the rules applied), and whether each whole log verifies, with the"
            + " checkpoints that sign the period.",
        "Exit status: 0; 1 when a log does not verify (the report says where); 2 on bad options or an unreadable log."})
public final class EvidenceCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "a replica's audit.dir (repeat for several)")
  private List<Path> dirs;

  @Option(names = "--public-key", required = true, paramLabel = "PEM[@FROM..UNTIL]",
      description = "a signing key's public half; repeat for rotated keys, each with its validity window")
  private List<String> publicKeys;

  @Option(names = "--from", required = true, paramLabel = "DAY", description = "first day, yyyy-MM-dd (UTC)")
  private String from;

  @Option(names = "--to", required = true, paramLabel = "DAY", description = "last day, yyyy-MM-dd (UTC), included")
  private String to;

  @Option(names = "--format", paramLabel = "html|json|csv", defaultValue = "html",
      description = "html (default: one self-contained page), json (the report model) or csv (one section per table)")
  private String format;

  @Option(names = "--out", paramLabel = "FILE", description = "where to write the report (default: standard output)")
  private Path out;

  @Option(names = "--witness", paramLabel = "DIR", description = "audit.witness.dir, checked as verify-log --witness does")
  private Path witness;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Period period;
    ReportFormat reportFormat;
    List<PublicKeyWindow> keys = new ArrayList<>();
    try {
      period = Period.parse(from, to);
      reportFormat = ReportFormat.parse(format);
      for (String key : publicKeys) keys.add(PublicKeyOption.read(key));
    } catch (IOException | IllegalArgumentException e) {
      return fail(err, e.getMessage());
    }
    LogVerifier verifier = new LogVerifier(keys, Optional.ofNullable(witness), Optional.empty(), Instant.now());
    EvidenceReport report;
    try {
      report = new EvidenceCollector(verifier, Clock.systemUTC()).collect(dirs, period);
    } catch (IOException e) {
      return fail(err, "cannot read the log: " + e.getMessage());
    }
    try {
      if (out == null) {
        reportFormat.render(report, stdout);
        stdout.flush();
      } else {
        writeFile(report, reportFormat);
        stdout.println("wrote " + out + ": " + (report.intact() ? "every log verifies"
            : "a log does NOT verify (see the report's integrity section)"));
        stdout.flush();
      }
    } catch (IOException e) {
      return fail(err, "cannot write " + (out == null ? "the report" : out) + ": " + e.getMessage());
    }
    if (!report.intact()) {
      err.println("evidence: a log does not verify; the report's integrity section lists the findings");
      err.flush();
    }
    return report.intact() ? 0 : 1;
  }

  /** Written beside the target and moved into place, so a failed run never leaves half a report. */
  private void writeFile(EvidenceReport report, ReportFormat reportFormat) throws IOException {
    Path target = out.toAbsolutePath();
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(partial), StandardCharsets.UTF_8))) {
      reportFormat.render(report, w);
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static int fail(PrintWriter err, String message) {
    err.println("evidence: " + message);
    err.flush();
    return 2;
  }
}
