package io.gatehouse.audit.evidence;

import io.gatehouse.audit.evidence.EvidenceReport.Anomaly;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rule {@value #CODE}: a source ({@code client_ip}) with more than {@value #THRESHOLD} refused authentications
 * within any {@value #WINDOW_MINUTES} minutes. Refused authentications are requests refused with reason
 * {@code unauthenticated}, {@code signature_invalid}, {@code signature_missing}, {@code sso_required} or
 * {@code forbidden}. Overlapping windows are one burst, reported from its first refusal to its last.
 */
final class AuthFailureBursts {
  static final String CODE = "auth_failure_burst";
  static final int THRESHOLD = 20;
  static final int WINDOW_MINUTES = 10;
  static final List<String> REASONS =
      List.of("unauthenticated", "signature_invalid", "signature_missing", "sso_required", "forbidden");
  private static final Set<String> REASON_SET = Set.copyOf(REASONS);
  private static final long WINDOW_MILLIS = Duration.ofMinutes(WINDOW_MINUTES).toMillis();
  /** Each refusal is kept as {@code millis * 8 + reason index}: sorting the longs sorts by time. */
  private static final int REASON_BITS = 3;

  private final CappedMap<Times> sources = new CappedMap<>(Times::new);
  private final Consumer<String> notes;

  AuthFailureBursts(Consumer<String> notes) {
    this.notes = notes;
  }

  static String text() {
    return "A source (client_ip) with more than " + THRESHOLD + " refused authentications (reasons "
        + String.join(", ", REASONS) + ") within any " + WINDOW_MINUTES + " minutes; overlapping windows are one"
        + " burst, from its first refusal to its last.";
  }

  void entry(Entry e) {
    if (!e.kind().equals("request") || !"refuse".equals(e.text("decision"))) return;
    String reason = e.text("reason");
    if (reason == null || !REASON_SET.contains(reason)) return;
    Times times = sources.get(e.text("client_ip") == null ? "(unknown)" : e.text("client_ip"));
    if (times != null) times.add((e.time().toEpochMilli() << REASON_BITS) | REASONS.indexOf(reason));
  }

  List<Anomaly> result() {
    if (sources.overflow() > 0) {
      notes.accept("rule " + CODE + ": more than " + CappedMap.CAP + " distinct sources; " + sources.overflow()
          + " refused authentications of later ones were not checked");
    }
    List<Anomaly> out = new ArrayList<>();
    sources.map().forEach((source, times) -> bursts(source, times.sorted(), out));
    return out;
  }

  private static void bursts(String source, long[] t, List<Anomaly> out) {
    int burstStart = -1;
    int burstEnd = -1;
    int peak = 0;
    int windowStart = 0;
    for (int j = 0; j < t.length; j++) {
      while (millis(t[j]) - millis(t[windowStart]) >= WINDOW_MILLIS) windowStart++;
      int inWindow = j - windowStart + 1;
      if (inWindow <= THRESHOLD) continue;
      if (burstStart >= 0 && windowStart <= burstEnd) {
        burstEnd = j;
      } else {
        if (burstStart >= 0) out.add(burst(source, t, burstStart, burstEnd, peak));
        burstStart = windowStart;
        burstEnd = j;
        peak = 0;
      }
      peak = Math.max(peak, inWindow);
    }
    if (burstStart >= 0) out.add(burst(source, t, burstStart, burstEnd, peak));
  }

  private static Anomaly burst(String source, long[] t, int first, int last, int peak) {
    Map<String, Long> reasons = new LinkedHashMap<>();
    for (int i = first; i <= last; i++) Counting.add(reasons, REASONS.get((int) (t[i] & ((1 << REASON_BITS) - 1))));
    StringBuilder detail = new StringBuilder().append(last - first + 1).append(" refused authentications, at most ")
        .append(peak).append(" within ").append(WINDOW_MINUTES).append(" minutes:");
    Counting.sorted(reasons).forEach(c -> detail.append(' ').append(c.key()).append(' ').append(c.count()).append(','));
    detail.setLength(detail.length() - 1);
    return new Anomaly(CODE, Instant.ofEpochMilli(millis(t[first])), Instant.ofEpochMilli(millis(t[last])), null, source,
        last - first + 1, detail.toString());
  }

  private static long millis(long packed) {
    return packed >> REASON_BITS;
  }

  /** One source's refused authentications. */
  private static final class Times {
    long[] values = new long[8];
    int size;

    void add(long value) {
      if (size == values.length) values = Arrays.copyOf(values, size * 2);
      values[size++] = value;
    }

    long[] sorted() {
      long[] out = Arrays.copyOf(values, size);
      Arrays.sort(out);
      return out;
    }
  }
}
