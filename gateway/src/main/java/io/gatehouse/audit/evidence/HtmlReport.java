package io.gatehouse.audit.evidence;

import io.gatehouse.audit.evidence.EvidenceReport.AccessDay;
import io.gatehouse.audit.evidence.EvidenceReport.FindingRow;
import io.gatehouse.audit.evidence.EvidenceReport.Integrity;
import java.io.IOException;
import java.io.Writer;

/**
 * The report as one self-contained HTML page for a person: inline CSS and SVG charts, no script, font or link to
 * anything outside the file (its Content-Security-Policy allows none), one section per auditor's question, and a
 * verdict at the top. Every log value is escaped by {@link HtmlPage}.
 */
final class HtmlReport implements ReportFormat.Renderer {
  @Override
  public void render(EvidenceReport r, Writer out) throws IOException {
    HtmlPage page = new HtmlPage();
    page.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .element("title", null, "Gatehouse evidence " + r.period().from() + " to " + r.period().to())
        .raw("<style>").raw(HtmlStyle.CSS).raw("</style></head><body><main>");
    header(page, r);
    HtmlTrafficSections.access(page, r);
    HtmlTrafficSections.refusals(page, r);
    HtmlControlSections.config(page, r);
    HtmlControlSections.anomalies(page, r);
    HtmlControlSections.integrity(page, r);
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
}
