package io.gatehouse.audit.evidence;

import io.gatehouse.audit.evidence.EvidenceReport.Integrity;
import io.gatehouse.audit.log.LogEntries;
import io.gatehouse.audit.verify.LogVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds an {@link EvidenceReport} from log directories (one per replica). Reads only the segments whose names say
 * they may hold entries of the period or of the {@value #LOOKBACK_DAYS} day before it (logins that name a person,
 * the config version a day started with), then verifies each directory whole. Memory is bounded by the period's
 * distinct people, sources and paths ({@link CappedMap}), never by its entries.
 */
public final class EvidenceCollector {
  /** Days read before the period, for context only: a person's e-mail and the version in force at midnight. */
  static final int LOOKBACK_DAYS = 1;

  private final LogVerifier verifier;
  private final Clock clock;

  public EvidenceCollector(LogVerifier verifier, Clock clock) {
    this.verifier = verifier;
    this.clock = clock;
  }

  public EvidenceReport collect(List<Path> dirs, Period period) throws IOException {
    List<String> notes = new ArrayList<>();
    AccessTally access = new AccessTally(notes::add);
    RefusalTally refusals = new RefusalTally(notes::add);
    ConfigTally config = new ConfigTally();
    AnomalyRules anomalies = new AnomalyRules(notes::add);
    Instant readFrom = period.start().minus(Duration.ofDays(LOOKBACK_DAYS));
    Instant end = period.end();
    List<Integrity> integrity = new ArrayList<>();
    for (Path dir : dirs) {
      long[] lastSeq = {-1};
      long[] untimed = {0};
      LogEntries.forEachBetween(dir, readFrom, end, node -> {
        Optional<Entry> parsed = Entry.of(node);
        if (parsed.isEmpty()) {
          untimed[0]++;
          return;
        }
        Entry e = parsed.get();
        if (e.time().isBefore(readFrom) || !e.time().isBefore(end)) return;
        boolean inPeriod = !e.time().isBefore(period.start());
        access.entry(e, inPeriod);
        config.entry(e, inPeriod);
        if (!inPeriod) return;
        refusals.entry(e);
        anomalies.entry(e);
        lastSeq[0] = Math.max(lastSeq[0], e.seq());
      });
      if (untimed[0] > 0) notes.add(dir + ": " + untimed[0] + " entries without a readable time were left out");
      integrity.add(new IntegrityCheck(verifier).check(dir, period, lastSeq[0]));
    }
    boolean intact = integrity.stream().allMatch(Integrity::intact);
    // The tallies add their notes as they are summed up: sum them before the notes are copied.
    EvidenceReport.Access accessed = new EvidenceReport.Access(access.result(period));
    EvidenceReport.Refusals refused = refusals.result(period);
    EvidenceReport.Anomalies anomalous = anomalies.result();
    Instant generated = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    return new EvidenceReport(period, generated, dirs.stream().map(Path::toString).toList(), intact, List.copyOf(notes),
        accessed, refused, config.result(period), anomalous, List.copyOf(integrity));
  }
}
