package io.gatehouse.audit.evidence;

import io.gatehouse.audit.evidence.EvidenceReport.AccessDay;
import io.gatehouse.audit.evidence.EvidenceReport.Anomaly;
import io.gatehouse.audit.evidence.EvidenceReport.CheckpointRow;
import io.gatehouse.audit.evidence.EvidenceReport.ConfigChange;
import io.gatehouse.audit.evidence.EvidenceReport.Count;
import io.gatehouse.audit.evidence.EvidenceReport.DayStart;
import io.gatehouse.audit.evidence.EvidenceReport.FindingRow;
import io.gatehouse.audit.evidence.EvidenceReport.Integrity;
import io.gatehouse.audit.evidence.EvidenceReport.RefusalDay;
import io.gatehouse.audit.evidence.EvidenceReport.Rule;
import io.gatehouse.audit.evidence.EvidenceReport.Source;
import io.gatehouse.audit.evidence.HtmlPage.Column;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The report as one self-contained HTML page for a person: inline CSS and SVG charts, no script, font or link to
 * anything outside the file (its Content-Security-Policy allows none), one section per auditor's question, and a
 * verdict at the top. Every log value is escaped by {@link HtmlPage}.
 */
final class HtmlReport implements ReportFormat.Renderer {
  static final String ALLOWED = "#2e7d32";
  static final String REFUSED = "#c62828";

  @Override
  public void render(EvidenceReport r, Writer out) throws IOException {
    HtmlPage page = new HtmlPage();
    page.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .element("title", null, "Gatehouse evidence " + r.period().from() + " to " + r.period().to())
        .raw("<style>").raw(HtmlStyle.CSS).raw("</style></head><body><main>");
    header(page, r);
    access(page, r);
    refusals(page, r);
    config(page, r);
    anomalies(page, r);
    integrity(page, r);
    page.raw("</main></body></html>\n");
    out.write(page.toString());
  }

  private static void header(HtmlPage page, EvidenceReport r) {
    page.raw("<header>").element("h1", null, "Gatehouse evidence report")
        .raw("<p class=\"meta\">").text("Period " + r.period().from() + " to " + r.period().to()
            + " (UTC, both days included) · generated " + r.generated() + " · from the audit log alone").raw("</p>")
        .raw("<p class=\"meta\">").text("Logs read: " + String.join(", ", r.dirs())).raw("</p>");
    long failing = r.integrity().stream().mapToLong(i -> i.findings().stream().filter(FindingRow::fails).count()).sum();
    page.element("div", r.intact() ? "verdict ok" : "verdict bad", r.intact()
        ? "Integrity: every log verifies; the entries below are the signed ones."
        : "Integrity: the log does NOT verify (" + failing + " finding(s)); see section 5 for where.");
    long people = r.access().days().stream().flatMap(d -> d.people().stream()).map(p -> p.subject()).distinct().count();
    long allowed = r.access().days().stream().mapToLong(AccessDay::allowed).sum();
    page.raw("<ul class=\"cards\">");
    card(page, HtmlPage.number(people), "people");
    card(page, HtmlPage.number(allowed), "allowed requests");
    card(page, HtmlPage.number(r.refusals().total()), "refusals");
    card(page, HtmlPage.number(r.config().changes().size()), "config entries");
    card(page, HtmlPage.number(r.anomalies().found().size()), "anomalies");
    page.raw("</ul>");
    if (!r.notes().isEmpty()) {
      page.raw("<div class=\"notes\"><b>Limits met:</b><ul>");
      for (String note : r.notes()) page.element("li", null, note);
      page.raw("</ul></div>");
    }
    page.raw("<nav><a href=\"#access\">1. Who reached n8n</a><a href=\"#refusals\">2. Refusals</a>")
        .raw("<a href=\"#config\">3. Config versions in force</a><a href=\"#anomalies\">4. Anomalies</a>")
        .raw("<a href=\"#integrity\">5. Integrity</a></nav></header>");
  }

  private static void card(HtmlPage page, String value, String label) {
    page.raw("<li>").element("b", null, value).text(label).raw("</li>");
  }

  private static void access(HtmlPage page, EvidenceReport r) {
    List<AccessDay> days = r.access().days();
    page.raw("<section id=\"access\">").element("h2", null, "1. Who reached n8n")
        .element("p", "muted", "People: subjects of sso login entries and identities of request entries, named by the"
            + " e-mail of their latest login. Clients: requests without an identity that were allowed, by address and"
            + " client certificate.");
    long[] allowed = days.stream().mapToLong(AccessDay::allowed).toArray();
    long[] refused = days.stream().mapToLong(AccessDay::refused).toArray();
    page.raw(SvgBarChart.columns("Requests per day", days.stream().map(d -> d.day().toString()).toList(),
        List.of(new SvgBarChart.Series("allowed", ALLOWED, allowed), new SvgBarChart.Series("refused", REFUSED, refused))));
    for (AccessDay d : days) {
      page.element("h3", null, d.day() + ": " + HtmlPage.number(d.requests()) + " requests, "
          + HtmlPage.number(d.allowed()) + " allowed, " + HtmlPage.number(d.refused()) + " refused");
      if (d.requests() == 0 && d.people().isEmpty()) continue;
      page.table(List.of(Column.text("Person (e-mail)"), Column.code("Subject"), Column.number("Logins"),
              Column.number("Requests"), Column.number("Allowed"), Column.number("Refused")),
          d.people().stream().map(p -> row(p.email() == null ? "(no login read)" : p.email(), p.subject(),
              p.logins(), p.requests(), p.allowed(), p.refused())).toList(), "No person.");
      page.table(List.of(Column.code("Client address"), Column.text("Client certificate"), Column.number("Allowed"),
              Column.number("Refused")),
          d.clients().stream().map(c -> row(c.clientIp(), c.tlsClientSubject(), c.allowed(), c.refused())).toList(),
          "No client without a person reached n8n.");
    }
    page.raw("</section>");
  }

  private static void refusals(HtmlPage page, EvidenceReport r) {
    var refusals = r.refusals();
    page.raw("<section id=\"refusals\">").element("h2", null, "2. Refusals")
        .element("p", null, HtmlPage.number(refusals.total()) + " refused requests from "
            + HtmlPage.number(refusals.sources()) + " sources.");
    if (!refusals.byReason().isEmpty()) page.raw(SvgBarChart.rows("Refusals by reason", refusals.byReason(), REFUSED));
    page.element("h3", null, "By reason");
    page.table(List.of(Column.code("Reason"), Column.number("Refusals")),
        refusals.byReason().stream().map(c -> row(c.key(), c.count())).toList(), "No refusals.");
    page.element("h3", null, "Top sources");
    page.table(List.of(Column.code("Source (client_ip)"), Column.number("Refusals"), Column.code("By reason")),
        refusals.topSources().stream().map(s -> row(s.clientIp(), s.refusals(), reasons(s.byReason()))).toList(),
        "No refusals.");
    page.element("h3", null, "Per day");
    page.table(List.of(Column.word("Day"), Column.number("Refusals"), Column.number("Sources"), Column.code("By reason"),
            Column.code("Top sources")),
        refusals.days().stream().map(HtmlReport::dayRow).toList(), "No days.");
    page.element("h3", null, "Most refused paths");
    page.table(List.of(Column.code("Path"), Column.number("Refusals")),
        refusals.topPaths().stream().map(c -> row(c.key(), c.count())).toList(), "No refusals.");
    page.raw("</section>");
  }

  private static List<Object> dayRow(RefusalDay d) {
    String top = d.topSources().stream().limit(5).map(s -> s.clientIp() + " (" + HtmlPage.number(s.refusals()) + ")")
        .collect(Collectors.joining(", "));
    return row(d.day().toString(), d.total(), (long) d.sources(), reasons(d.byReason()), top);
  }

  private static String reasons(List<Count> counts) {
    return counts.stream().map(c -> c.key() + " " + HtmlPage.number(c.count())).collect(Collectors.joining(", "));
  }

  private static void config(HtmlPage page, EvidenceReport r) {
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
        Column.code("Changed keys"), Column.code("File"), Column.number("Seq")), changes, "No config entry in the period.");
    page.raw("</section>");
  }

  private static void anomalies(HtmlPage page, EvidenceReport r) {
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
        Column.code("Source"), Column.number("Entries"), Column.text("Detail")), rows, "None found.");
    page.raw("</section>");
  }

  private static void integrity(HtmlPage page, EvidenceReport r) {
    page.raw("<section id=\"integrity\">").element("h2", null, "5. Integrity");
    for (Integrity i : r.integrity()) {
      page.element("h3", null, i.dir());
      page.element("div", i.intact() ? "verdict ok" : "verdict bad", (i.intact() ? "OK: " : "DOES NOT VERIFY: ")
          + HtmlPage.number(i.entries()) + " entries, " + HtmlPage.number(i.checkpoints()) + " checkpoint(s), origin "
          + (i.origin() == null ? "(none)" : i.origin()));
      List<List<Object>> findings = new ArrayList<>();
      for (FindingRow f : i.findings()) {
        findings.add(row(f.verdict() + (f.fails() ? "" : " (not a failure)"), where(i, f.file(), f.line()), f.detail()));
      }
      page.table(List.of(Column.code("Finding"), Column.code("Where"), Column.text("Detail")), findings, "No findings.");
      List<List<Object>> checkpoints = new ArrayList<>();
      for (CheckpointRow c : i.checkpointsCovering()) {
        checkpoints.add(row(c.which(), c.time() == null ? "" : c.time().toString(), c.size(), c.root(),
            where(i, c.file(), c.line())));
      }
      page.table(List.of(Column.word("Checkpoint"), Column.word("Signed at"), Column.number("Tree size"),
          Column.code("Root (base64)"), Column.code("Where")), checkpoints, "No checkpoint signed in or after the period.");
    }
    page.raw("</section>");
  }

  /** {@code file:line}, the file named within the directory the heading names. */
  private static String where(Integrity i, String file, long line) {
    String prefix = i.dir().endsWith("/") ? i.dir() : i.dir() + "/";
    return (file.startsWith(prefix) ? file.substring(prefix.length()) : file) + ":" + line;
  }

  /** A table row that may hold nulls (shown as empty cells). */
  private static List<Object> row(Object... cells) {
    return java.util.Arrays.asList(cells);
  }
}
