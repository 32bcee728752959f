package io.gatehouse.audit.evidence;

import io.gatehouse.audit.evidence.EvidenceReport.ConfigChange;
import io.gatehouse.audit.evidence.EvidenceReport.Configs;
import io.gatehouse.audit.evidence.EvidenceReport.DayStart;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Question 3, config versions in force. Lists every {@code config} entry of the period ({@code load},
 * {@code reload}, {@code reload_refused}). The version a replica's day started with is the {@code config} field
 * (16 hex digits of the file's SHA-256) of that replica's latest entry before midnight UTC, looking back as far as
 * was read (one day before the period); when no earlier entry was read, it is read from the day's first entry that
 * carries a version: a {@code reload}'s {@code previous_sha256}, or any other entry's {@code config}. The full
 * hash is shown when a {@code config} entry read names it.
 */
final class ConfigTally {
  static final String BEFORE = "last entry before the day";
  static final String FIRST = "first entry of the day (no earlier entry read)";
  static final String NONE = "no entry read";

  private final List<ConfigChange> changes = new ArrayList<>();
  private final Map<String, TreeMap<LocalDate, DayEdges>> replicas = new HashMap<>();
  private final Map<String, String> fullHashes = new HashMap<>();

  void entry(Entry e, boolean inPeriod) {
    String replica = e.replica() == null ? "(none)" : e.replica();
    boolean isConfig = e.kind().equals("config");
    String sha256 = isConfig ? e.text("sha256") : null;
    if (sha256 != null && sha256.length() >= 16 && !"reload_refused".equals(e.text("event"))) {
      fullHashes.put(sha256.substring(0, 16), sha256);
    }
    String previous = isConfig ? e.text("previous_sha256") : null;
    if (previous != null && previous.length() >= 16) fullHashes.put(previous.substring(0, 16), previous);
    String carried = e.text("config");
    if (isConfig && "reload".equals(e.text("event")) && previous != null) {
      carried = previous.length() > 16 ? previous.substring(0, 16) : previous;
    }
    DayEdges edges = replicas.computeIfAbsent(replica, r -> new TreeMap<>()).computeIfAbsent(e.day(), d -> new DayEdges());
    if (carried != null && !carried.isEmpty() && (edges.firstTime == null || e.time().isBefore(edges.firstTime))) {
      edges.firstTime = e.time();
      edges.firstVersion = carried;
    }
    String after = e.text("config");
    if (after != null && !after.isEmpty() && (edges.lastTime == null || !e.time().isBefore(edges.lastTime))) {
      edges.lastTime = e.time();
      edges.lastVersion = after;
    }
    if (isConfig && inPeriod) {
      changes.add(new ConfigChange(e.seq(), e.time(), e.replica(), e.text("event"), sha256, previous, e.text("path"),
          e.texts("changed"), e.texts("restart_needed"), e.number("errors")));
    }
  }

  Configs result(Period period) {
    changes.sort(Comparator.comparing(ConfigChange::time).thenComparingLong(ConfigChange::seq));
    List<DayStart> starts = new ArrayList<>();
    for (LocalDate day : period.days()) {
      for (String replica : new TreeSet<>(replicas.keySet())) starts.add(dayStart(day, replica, replicas.get(replica)));
    }
    return new Configs(List.copyOf(changes), starts);
  }

  private DayStart dayStart(LocalDate day, String replica, TreeMap<LocalDate, DayEdges> days) {
    for (Map.Entry<LocalDate, DayEdges> before = days.lowerEntry(day); before != null;
        before = days.lowerEntry(before.getKey())) {
      if (before.getValue().lastVersion != null) return row(day, replica, before.getValue().lastVersion, BEFORE);
    }
    DayEdges today = days.get(day);
    if (today != null && today.firstVersion != null) return row(day, replica, today.firstVersion, FIRST);
    return new DayStart(day, replica, null, null, NONE);
  }

  private DayStart row(LocalDate day, String replica, String version, String basis) {
    return new DayStart(day, replica, version, fullHashes.get(version), basis);
  }

  /** The earliest and latest version a replica's entries carried on one day. */
  private static final class DayEdges {
    Instant firstTime;
    String firstVersion;
    Instant lastTime;
    String lastVersion;
  }
}
