package io.gatehouse.audit.evidence;

import static io.gatehouse.audit.evidence.HtmlPage.row;

import io.gatehouse.audit.evidence.EvidenceReport.Anomaly;
import io.gatehouse.audit.evidence.EvidenceReport.CheckpointRow;
import io.gatehouse.audit.evidence.EvidenceReport.ConfigChange;
import io.gatehouse.audit.evidence.EvidenceReport.DayStart;
import io.gatehouse.audit.evidence.EvidenceReport.FindingRow;
import io.gatehouse.audit.evidence.EvidenceReport.Integrity;
import io.gatehouse.audit.evidence.EvidenceReport.Rule;
import io.gatehouse.audit.evidence.HtmlPage.Column;
import java.util.ArrayList;
import java.util.List;

/** Sections 3 to 5 of the HTML report: config versions, anomalies and the integrity verdict. */
final class HtmlControlSections {
  private HtmlControlSections() {}

  static void config(HtmlPage page, EvidenceReport r) {
    page.raw("<section id=\"config\">").element("h2", null, "3. Config versions in force")
        .element("h3", null, "Version each day started with");
    List<List<Object>> starts = new ArrayList<>();
    for (DayStart s : r.config().dayStarts()) {
      String version = s.sha256() != null ? s.sha256() : s.config() == null ? "(unknown)" : s.config() + "…";
      starts.add(row(s.day().toString(), s.replica(), version, s.basis()));
    }
    page.table(List.of(Column.word("Day"), Column.word("Replica"), Column.code("Config (SHA-256)"),
        Column.text("Read from")), starts, "No entries read.");
    page.element("h3", null, "Config entries in the period");
    List<List<Object>> changes = new ArrayList<>();
    for (ConfigChange c : r.config().changes()) {
      changes.add(row(c.time().toString(), c.replica(), c.event(), c.sha256(), String.join(", ", c.changed()),
          c.path(), (long) c.seq()));
    }
    page.table(List.of(Column.word("Time"), Column.word("Replica"), Column.word("Event"), Column.code("SHA-256"),
        Column.code("Changed keys"), Column.code("File"), Column.number("Seq")), changes,
        "No config entry in the period.");
    page.raw("</section>");
  }

  static void anomalies(HtmlPage page, EvidenceReport r) {
    page.raw("<section id=\"anomalies\">").element("h2", null, "4. Anomalies").element("h3", null, "Rules applied");
    page.raw("<dl class=\"rules\">");
    for (Rule rule : r.anomalies().rules()) page.element("dt", "mono", rule.code()).element("dd", null, rule.text());
    page.raw("</dl>").element("h3", null, "Found");
    List<List<Object>> rows = new ArrayList<>();
    for (Anomaly a : r.anomalies().found()) {
      rows.add(row(a.rule(), a.from().toString(), a.to().equals(a.from()) ? "" : a.to().toString(), a.replica(),
          a.source(), a.count(), a.detail()));
    }
    page.table(List.of(Column.word("Rule"), Column.word("From"), Column.word("To"), Column.word("Replica"),
        Column.word("Source"), Column.number("Entries"), Column.text("Detail")), rows, "None found.");
    page.raw("</section>");
  }

  static void integrity(HtmlPage page, EvidenceReport r) {
    page.raw("<section id=\"integrity\">").element("h2", null, "5. Integrity");
    for (Integrity i : r.integrity()) {
      page.element("h3", null, i.dir());
      page.element("div", i.intact() ? "verdict ok" : "verdict bad", (i.intact() ? "OK: " : "DOES NOT VERIFY: ")
          + HtmlPage.number(i.entries()) + " entries, " + HtmlPage.number(i.checkpoints()) + " checkpoint(s), origin "
          + (i.origin() == null ? "(none)" : i.origin()));
      List<List<Object>> findings = new ArrayList<>();
      for (FindingRow f : i.findings()) {
        String verdict = f.verdict() + (f.fails() ? "" : " (not a failure)");
        findings.add(row(verdict, where(i, f.file(), f.line()), f.detail()));
      }
      page.table(List.of(Column.word("Finding"), Column.code("Where"), Column.text("Detail")), findings, "No findings.");
      List<List<Object>> checkpoints = new ArrayList<>();
      for (CheckpointRow c : i.checkpointsCovering()) {
        checkpoints.add(row(c.which(), c.time() == null ? "" : c.time().toString(), c.size(), c.root(),
            where(i, c.file(), c.line())));
      }
      page.table(List.of(Column.word("Checkpoint"), Column.word("Signed at"), Column.number("Tree size"),
          Column.code("Root (base64)"), Column.code("Where")), checkpoints,
          "No checkpoint signed in or after the period.");
    }
    page.raw("</section>");
  }

  /** {@code file:line}, the file named within the directory the heading names. */
  private static String where(Integrity i, String file, long line) {
    String prefix = i.dir().endsWith("/") ? i.dir() : i.dir() + "/";
    return (file.startsWith(prefix) ? file.substring(prefix.length()) : file) + ":" + line;
  }
}
