package io.gatehouse.audit.evidence;

import io.gatehouse.audit.evidence.EvidenceReport.Anomalies;
import io.gatehouse.audit.evidence.EvidenceReport.Anomaly;
import io.gatehouse.audit.evidence.EvidenceReport.Rule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Question 4, anomalies: what the gateway itself flagged, and a few simple rules over the period's entries. Each
 * rule's text is printed in the report, so an auditor reads what was looked for, not only what was found.
 *
 * <ul>
 *   <li>{@code alert}: every entry of kind {@code alert} (the gateway's own alerts: {@code type}, {@code route},
 *       {@code detail}), as it is.
 *   <li>{@code auth_failure_burst}: see {@link AuthFailureBursts}: more than 20 refused authentications from one
 *       source within 10 minutes.
 *   <li>{@code unclean_stop}: a {@code start} entry with {@code unsealed_tail} or {@code torn_bytes}: the run before
 *       it stopped without closing its log (a crash, a kill, a power cut).
 *   <li>{@code break_glass}: an {@code sso} entry with event {@code break_glass}: n8n's own password login was used
 *       past the IdP.
 *   <li>{@code signing_key_changed}: a {@code key} entry: checkpoints are signed by another key from here on; it
 *       should match a planned rotation.
 * </ul>
 */
final class AnomalyRules {
  static final List<Rule> RULES = List.of(
      new Rule("alert", "Every entry of kind alert: the gateway's own alerts (type, route, detail), as written."),
      new Rule(AuthFailureBursts.CODE, AuthFailureBursts.text()),
      new Rule("unclean_stop", "A start entry with unsealed_tail or torn_bytes: the gateway's previous run stopped"
          + " without closing its log (crash, kill, power loss); its last entries were signed only by this run."),
      new Rule("break_glass", "An sso entry with event break_glass: n8n's own password login was used instead of the"
          + " IdP."),
      new Rule("signing_key_changed", "A key entry: checkpoints are signed with another key from then on; it should"
          + " match a planned key rotation."));

  private final List<Anomaly> found = new ArrayList<>();
  private final AuthFailureBursts bursts;

  AnomalyRules(Consumer<String> notes) {
    this.bursts = new AuthFailureBursts(notes);
  }

  void entry(Entry e) {
    switch (e.kind()) {
      // The detectors' alerts name a source network and a subject where they have one (docs/audit-log.md).
      case "alert" -> found.add(new Anomaly("alert", e.time(), e.time(), e.replica(),
          first(e.text("source"), e.text("subject"), e.text("client_ip"), e.text("route")), 1, join("type",
              e.text("type"), "route", e.text("route"), "detail", e.text("detail"))));
      case "start" -> {
        if (e.has("unsealed_tail") || e.has("torn_bytes")) {
          found.add(new Anomaly("unclean_stop", e.time(), e.time(), e.replica(), e.replica(), 1,
              join("unsealed_tail", e.text("unsealed_tail"), "torn_bytes", e.text("torn_bytes"),
                  "version", e.text("version"))));
        }
      }
      case "sso" -> {
        if ("break_glass".equals(e.text("event"))) {
          found.add(new Anomaly("break_glass", e.time(), e.time(), e.replica(),
              first(e.text("email"), e.text("subject"), e.text("client_ip")), 1, join("subject", e.text("subject"),
                  "email", e.text("email"), "client_ip", e.text("client_ip"), "detail", e.text("detail"))));
        }
      }
      case "key" -> found.add(new Anomaly("signing_key_changed", e.time(), e.time(), e.replica(), e.text("key_id"), 1,
          join("key_id", e.text("key_id"), "previous_key_id", e.text("previous_key_id"))));
      case "request" -> bursts.entry(e);
      default -> { }
    }
  }

  Anomalies result() {
    List<Anomaly> all = new ArrayList<>(found);
    all.addAll(bursts.result());
    all.sort(Comparator.comparing(Anomaly::from).thenComparing(Anomaly::rule)
        .thenComparing(a -> a.source() == null ? "" : a.source()));
    return new Anomalies(RULES, all);
  }

  private static String first(String... values) {
    for (String v : values) if (v != null) return v;
    return null;
  }

  /** {@code name: value; …} of the values present. */
  private static String join(String... namesAndValues) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] == null) continue;
      if (out.length() > 0) out.append("; ");
      out.append(namesAndValues[i]).append(": ").append(namesAndValues[i + 1]);
    }
    return out.toString();
  }
}
