package io.gatehouse.audit.scrub.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.scrub.PhiType;
import io.gatehouse.audit.scrub.ScrubPolicy;
import io.gatehouse.audit.scrub.ScrubResult;
import io.gatehouse.audit.scrub.Scrubber;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Recall and precision of the scrubber per identifier type on the seeded corpus ({@link CorpusGenerator}), with
 * values as whole fields and inside free text reported apart. A planted value counts as found when it no longer
 * appears in the scrubbed body; a marker of a type beyond the planted values of that type found in the same body
 * is a false positive, and so is a hard negative that disappeared. Fails below issue 12's goals: recall 0.995 per
 * type in fields (1.0 for configured keys), 0.95 for names in free text, precision 0.95 per type.
 */
class ScrubAccuracyTest {
  private static final long SEED = 20_240_612L;
  private static final int SAMPLES = 3000;
  private static final Pattern MARKER = Pattern.compile("\\[REDACTED:([A-Z_]+)]");

  /** Counts for one row of the table. */
  private static final class Row {
    int planted;
    int found;
    int falsePositives;

    double recall() {
      return planted == 0 ? 1 : (double) found / planted;
    }

    double precision() {
      return found + falsePositives == 0 ? 1 : (double) found / (found + falsePositives);
    }
  }

  @Test
  void meetsTheRecallAndPrecisionGoalsPerType() {
    CorpusGenerator generator = new CorpusGenerator(SEED);
    List<Sample> samples = generator.samples(SAMPLES);
    Scrubber scrubber = new Scrubber(new ScrubPolicy(List.of("member_id", "claim.reference"), List.of(),
        1 << 20, "corpus-hmac-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII)));
    Map<String, Row> rows = new TreeMap<>();
    Map<PhiType, Row> byType = new EnumMap<>(PhiType.class);
    int negatives = 0;
    int negativesLost = 0;
    List<String> misses = new ArrayList<>();
    long bytes = 0;

    for (Sample sample : samples) {
      ScrubResult result = scrubber.scrub("application/json", sample.json().getBytes(StandardCharsets.UTF_8));
      String out = result.scrubbedText();
      bytes += sample.json().length();
      Map<PhiType, Integer> foundHere = new EnumMap<>(PhiType.class);
      for (Planted p : sample.phi()) {
        Row row = rows.computeIfAbsent(p.type() + (p.freeText() ? " (free text)" : " (field)"), k -> new Row());
        Row total = byType.computeIfAbsent(p.type(), k -> new Row());
        row.planted++;
        total.planted++;
        if (!out.contains(p.value())) {
          row.found++;
          total.found++;
          foundHere.merge(p.type(), 1, Integer::sum);
        } else if (misses.size() < 25) {
          misses.add(p.type() + " " + p.value() + " in " + sample.kind());
        }
      }
      Map<PhiType, Integer> markers = new EnumMap<>(PhiType.class);
      Matcher m = MARKER.matcher(out);
      while (m.find()) markers.merge(PhiType.valueOf(m.group(1)), 1, Integer::sum);
      for (Map.Entry<PhiType, Integer> e : markers.entrySet()) {
        int extra = e.getValue() - foundHere.getOrDefault(e.getKey(), 0);
        if (extra > 0) byType.computeIfAbsent(e.getKey(), k -> new Row()).falsePositives += extra;
      }
      for (String negative : sample.negatives()) {
        negatives++;
        if (!out.contains(negative)) {
          negativesLost++;
          if (misses.size() < 40) misses.add("lost negative " + negative + " in " + sample.kind());
        }
      }
    }

    StringBuilder table = new StringBuilder(String.format("%nScrubber accuracy, %d samples (%d KB), seed %d, "
        + "%d generated values rejected by our validators%n", SAMPLES, bytes / 1024, SEED, generator.rejected()));
    table.append(String.format("%-26s %8s %8s %8s%n", "type (where)", "planted", "found", "recall"));
    rows.forEach((name, row) -> table.append(
        String.format("%-26s %8d %8d %8.4f%n", name, row.planted, row.found, row.recall())));
    table.append(String.format("%n%-14s %8s %8s %8s %9s%n", "type", "found", "extra", "recall", "precision"));
    byType.forEach((type, row) -> table.append(String.format("%-14s %8d %8d %8.4f %9.4f%n", type, row.found,
        row.falsePositives, row.recall(), row.precision())));
    table.append(String.format("hard negatives kept: %d of %d%n", negatives - negativesLost, negatives));
    misses.forEach(miss -> table.append("  ").append(miss).append('\n'));
    System.out.println(table);

    rows.forEach((name, row) -> {
      double goal = name.startsWith("KEY") ? 1.0 : name.contains("free text") && name.startsWith("NAME") ? 0.95
          : name.contains("free text") ? 0.95 : 0.995;
      assertThat(row.recall()).as("recall of %s%s", name, table).isGreaterThanOrEqualTo(goal);
    });
    byType.forEach((type, row) ->
        assertThat(row.precision()).as("precision of %s%s", type, table).isGreaterThanOrEqualTo(0.95));
  }
}
