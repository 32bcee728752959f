package io.gatehouse.audit.evidence;

import static io.gatehouse.audit.evidence.HtmlPage.row;

import io.gatehouse.audit.evidence.EvidenceReport.AccessDay;
import io.gatehouse.audit.evidence.EvidenceReport.Count;
import io.gatehouse.audit.evidence.EvidenceReport.RefusalDay;
import io.gatehouse.audit.evidence.HtmlPage.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Sections 1 and 2 of the HTML report: who reached n8n, and what was refused. */
final class HtmlTrafficSections {
  static final String ALLOWED = "#2e7d32";
  static final String REFUSED = "#c62828";
  /** Periods up to this many days are charted per hour; longer ones per day. */
  static final int HOURLY_DAYS = 3;

  private HtmlTrafficSections() {}

  static void access(HtmlPage page, EvidenceReport r) {
    List<AccessDay> days = r.access().days();
    page.raw("<section id=\"access\">").element("h2", null, "1. Who reached n8n")
        .element("p", "muted", "People: subjects of sso login entries and identities of request entries, named by the"
            + " e-mail of their latest login. Clients: requests without an identity that were allowed, by address and"
            + " client certificate.");
    if (days.size() <= HOURLY_DAYS) {
      List<String> hours = new ArrayList<>();
      for (AccessDay d : days) {
        String prefix = days.size() == 1 ? "" : d.day().toString().substring(5) + " ";
        for (int h = 0; h < 24; h++) hours.add(prefix + String.format(java.util.Locale.ROOT, "%02d:00", h));
      }
      long[] allowed = days.stream().flatMap(d -> d.allowedByHour().stream()).mapToLong(Long::longValue).toArray();
      long[] refused = days.stream().flatMap(d -> d.refusedByHour().stream()).mapToLong(Long::longValue).toArray();
      page.raw(SvgBarChart.columns("Requests per hour (UTC)", hours, List.of(
          new SvgBarChart.Series("allowed", ALLOWED, allowed), new SvgBarChart.Series("refused", REFUSED, refused))));
    } else {
      long[] allowed = days.stream().mapToLong(AccessDay::allowed).toArray();
      long[] refused = days.stream().mapToLong(AccessDay::refused).toArray();
      page.raw(SvgBarChart.columns("Requests per day", days.stream().map(d -> d.day().toString()).toList(), List.of(
          new SvgBarChart.Series("allowed", ALLOWED, allowed), new SvgBarChart.Series("refused", REFUSED, refused))));
    }
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

  static void refusals(HtmlPage page, EvidenceReport r) {
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
        refusals.days().stream().map(HtmlTrafficSections::dayRow).toList(), "No days.");
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
}
