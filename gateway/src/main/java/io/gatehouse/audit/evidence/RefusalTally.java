package io.gatehouse.audit.evidence;

import io.gatehouse.audit.evidence.EvidenceReport.Count;
import io.gatehouse.audit.evidence.EvidenceReport.RefusalDay;
import io.gatehouse.audit.evidence.EvidenceReport.Refusals;
import io.gatehouse.audit.evidence.EvidenceReport.Source;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Question 2, refusals: {@code request} entries with decision {@code refuse}, by {@code reason} and by source
 * ({@code client_ip}), per day and in total, with the most frequent sources and refused paths.
 */
final class RefusalTally {
  /** Sources and paths listed per table; the rest are in the totals and the count of distinct sources. */
  static final int TOP = 20;

  private final Map<LocalDate, Tally> days = new HashMap<>();
  private final Tally total = new Tally();
  private final CappedMap<long[]> paths = new CappedMap<>(() -> new long[1]);
  private final Consumer<String> notes;

  RefusalTally(Consumer<String> notes) {
    this.notes = notes;
  }

  void entry(Entry e) {
    if (!e.kind().equals("request") || !"refuse".equals(e.text("decision"))) return;
    String reason = e.text("reason") == null ? "(none)" : e.text("reason");
    String source = e.text("client_ip") == null ? "(unknown)" : e.text("client_ip");
    total.add(reason, source);
    days.computeIfAbsent(e.day(), d -> new Tally()).add(reason, source);
    long[] path = paths.get(e.text("path") == null ? "(none)" : e.text("path"));
    if (path != null) path[0]++;
  }

  Refusals result(Period period) {
    List<RefusalDay> perDay = new ArrayList<>();
    for (LocalDate day : period.days()) {
      Tally t = days.getOrDefault(day, new Tally());
      perDay.add(new RefusalDay(day, t.count, Counting.sorted(t.reasons), t.sources.size(), t.top()));
      if (t.sources.overflow() > 0) {
        notes.accept(day + ": more than " + CappedMap.CAP + " distinct refused sources; " + t.sources.overflow()
            + " refusals from later ones are in the totals but not by source");
      }
    }
    if (paths.overflow() > 0) {
      notes.accept("more than " + CappedMap.CAP + " distinct refused paths; " + paths.overflow()
          + " refusals of later ones are in the totals but not by path");
    }
    List<Count> topPaths = paths.top(TOP, p -> p[0], e -> new Count(e.getKey(), e.getValue()[0]));
    return new Refusals(total.count, Counting.sorted(total.reasons), perDay, total.sources.size(), total.top(), topPaths);
  }

  /** Refusals of one day, or of the whole period. */
  private static final class Tally {
    long count;
    final Map<String, Long> reasons = new HashMap<>();
    final CappedMap<Map<String, Long>> sources = new CappedMap<>(HashMap::new);

    void add(String reason, String source) {
      count++;
      Counting.add(reasons, reason);
      Map<String, Long> bySource = sources.get(source);
      if (bySource != null) Counting.add(bySource, reason);
    }

    List<Source> top() {
      return sources.top(TOP, Tally::sum, e -> new Source(e.getKey(), sum(e.getValue()), Counting.sorted(e.getValue())));
    }

    private static long sum(Map<String, Long> counts) {
      long n = 0;
      for (long c : counts.values()) n += c;
      return n;
    }
  }
}
