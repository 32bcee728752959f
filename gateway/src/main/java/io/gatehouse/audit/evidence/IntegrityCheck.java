package io.gatehouse.audit.evidence;

import io.gatehouse.audit.evidence.EvidenceReport.CheckpointRow;
import io.gatehouse.audit.evidence.EvidenceReport.FindingRow;
import io.gatehouse.audit.evidence.EvidenceReport.Integrity;
import io.gatehouse.audit.note.Checkpoint;
import io.gatehouse.audit.verify.Finding;
import io.gatehouse.audit.verify.LogVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Question 5, integrity: {@link LogVerifier} over the whole directory, since the period's entries are leaves of the
 * one tree and rest on every entry before them. The checkpoints named are those that sign the period: the first
 * whose time is at or after the period's start ({@code first_in_period}), the first whose tree holds every entry of
 * the period ({@code covering_period}: an inclusion proof of any of them can be made against it), and the last
 * whose time is at or after the start ({@code latest}).
 */
final class IntegrityCheck {
  private final LogVerifier verifier;

  IntegrityCheck(LogVerifier verifier) {
    this.verifier = verifier;
  }

  /** @param lastSeq the highest sequence number among the period's entries in {@code dir}; -1 when it has none */
  Integrity check(Path dir, Period period, long lastSeq) throws IOException {
    Picks picks = new Picks(period.start(), lastSeq);
    LogVerifier.Result result = verifier.verify(dir, picks);
    List<FindingRow> findings = new ArrayList<>();
    for (Finding f : result.findings()) {
      findings.add(new FindingRow(f.verdict().name(), f.verdict().fails(), f.file().toString(), f.line(), f.detail()));
    }
    List<CheckpointRow> rows = new ArrayList<>();
    if (picks.first != null) rows.add(picks.first.as("first_in_period"));
    if (picks.covering != null) rows.add(picks.covering.as("covering_period"));
    if (picks.latest != null) rows.add(picks.latest.as("latest"));
    return new Integrity(dir.toString(), result.origin(), result.intact(), result.entries(), result.checkpoints(),
        findings, rows);
  }

  /** Keeps the three checkpoints as the verifier meets them, in log order. */
  private static final class Picks implements LogVerifier.CheckpointListener {
    private final Instant start;
    private final long lastSeq;
    Seen first;
    Seen covering;
    Seen latest;

    Picks(Instant start, long lastSeq) {
      this.start = start;
      this.lastSeq = lastSeq;
    }

    @Override
    public void checkpoint(Checkpoint checkpoint, Path file, long line) {
      boolean inOrAfter = checkpoint.time().map(t -> !t.isBefore(start)).orElse(false);
      Seen seen = new Seen(checkpoint, file, line);
      if (inOrAfter && first == null) first = seen;
      if (inOrAfter) latest = seen;
      if (lastSeq >= 0 && covering == null && checkpoint.size() > lastSeq) covering = seen;
    }
  }

  private record Seen(Checkpoint checkpoint, Path file, long line) {
    CheckpointRow as(String which) {
      return new CheckpointRow(which, checkpoint.time().orElse(null), checkpoint.size(),
          Base64.getEncoder().encodeToString(checkpoint.root()), file.toString(), line);
    }
  }
}
