package io.gatehouse.audit.evidence;

import io.gatehouse.audit.evidence.EvidenceReport.AccessDay;
import io.gatehouse.audit.evidence.EvidenceReport.Anomaly;
import io.gatehouse.audit.evidence.EvidenceReport.CheckpointRow;
import io.gatehouse.audit.evidence.EvidenceReport.Client;
import io.gatehouse.audit.evidence.EvidenceReport.ConfigChange;
import io.gatehouse.audit.evidence.EvidenceReport.Count;
import io.gatehouse.audit.evidence.EvidenceReport.DayStart;
import io.gatehouse.audit.evidence.EvidenceReport.FindingRow;
import io.gatehouse.audit.evidence.EvidenceReport.Integrity;
import io.gatehouse.audit.evidence.EvidenceReport.Person;
import io.gatehouse.audit.evidence.EvidenceReport.RefusalDay;
import io.gatehouse.audit.evidence.EvidenceReport.Rule;
import io.gatehouse.audit.evidence.EvidenceReport.Source;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The report as CSV (RFC 4180, CRLF line ends): one section per table, separated by an empty line. A section is a
 * header row and its data rows, and the first column of every row is the table's name ({@code table}), so each
 * section reads on its own in a spreadsheet and {@code grep '^people,'} picks one table out of the file.
 *
 * <p>Tables: {@code report}, {@code notes}, {@code people}, {@code clients}, {@code refusals_by_reason},
 * {@code refusals_by_source}, {@code refused_paths}, {@code config_day_start}, {@code config_changes},
 * {@code anomaly_rules}, {@code anomalies}, {@code integrity}, {@code findings}, {@code checkpoints}. In the refusal
 * tables, {@code day} is {@code total} for the whole period. Lists inside a cell ({@code changed}) are joined with
 * {@code ;}.
 *
 * <p>Log values are attacker-influenced: a text cell that starts with {@code =}, {@code +}, {@code -}, {@code @},
 * a tab or a carriage return is prefixed with {@code '} so a spreadsheet shows it instead of evaluating it as a
 * formula (OWASP's CSV injection advice).
 */
final class CsvReport implements ReportFormat.Renderer {
  @Override
  public void render(EvidenceReport r, Writer out) throws IOException {
    Csv csv = new Csv(out);
    csv.table("report", "from", "to", "generated", "intact", "dirs");
    csv.row("report", r.period().from(), r.period().to(), r.generated(), r.intact(), String.join(";", r.dirs()));
    csv.table("notes", "note");
    for (String note : r.notes()) csv.row("notes", note);
    csv.table("people", "day", "subject", "email", "logins", "requests", "allowed", "refused");
    for (AccessDay d : r.access().days()) {
      for (Person p : d.people()) {
        csv.row("people", d.day(), p.subject(), p.email(), p.logins(), p.requests(), p.allowed(), p.refused());
      }
    }
    csv.table("clients", "day", "client_ip", "tls_client_subject", "allowed", "refused");
    for (AccessDay d : r.access().days()) {
      for (Client c : d.clients()) csv.row("clients", d.day(), c.clientIp(), c.tlsClientSubject(), c.allowed(), c.refused());
    }
    refusals(csv, r);
    csv.table("config_day_start", "day", "replica", "config", "sha256", "basis");
    for (DayStart s : r.config().dayStarts()) {
      csv.row("config_day_start", s.day(), s.replica(), s.config(), s.sha256(), s.basis());
    }
    csv.table("config_changes", "seq", "time", "replica", "event", "sha256", "previous_sha256", "path", "changed",
        "restart_needed", "errors");
    for (ConfigChange c : r.config().changes()) {
      csv.row("config_changes", c.seq(), c.time(), c.replica(), c.event(), c.sha256(), c.previousSha256(), c.path(),
          String.join(";", c.changed()), String.join(";", c.restartNeeded()), c.errors());
    }
    csv.table("anomaly_rules", "rule", "text");
    for (Rule rule : r.anomalies().rules()) csv.row("anomaly_rules", rule.code(), rule.text());
    csv.table("anomalies", "rule", "from", "to", "replica", "source", "count", "detail");
    for (Anomaly a : r.anomalies().found()) {
      csv.row("anomalies", a.rule(), a.from(), a.to(), a.replica(), a.source(), a.count(), a.detail());
    }
    integrity(csv, r);
  }

  private static void refusals(Csv csv, EvidenceReport r) throws IOException {
    csv.table("refusals_by_reason", "day", "reason", "refusals");
    for (Count c : r.refusals().byReason()) csv.row("refusals_by_reason", "total", c.key(), c.count());
    for (RefusalDay d : r.refusals().days()) {
      for (Count c : d.byReason()) csv.row("refusals_by_reason", d.day(), c.key(), c.count());
    }
    csv.table("refusals_by_source", "day", "client_ip", "refusals", "reason", "reason_refusals");
    for (Source s : r.refusals().topSources()) sourceRows(csv, "total", s);
    for (RefusalDay d : r.refusals().days()) {
      for (Source s : d.topSources()) sourceRows(csv, d.day(), s);
    }
    csv.table("refused_paths", "path", "refusals");
    for (Count c : r.refusals().topPaths()) csv.row("refused_paths", c.key(), c.count());
  }

  private static void sourceRows(Csv csv, Object day, Source s) throws IOException {
    for (Count c : s.byReason()) csv.row("refusals_by_source", day, s.clientIp(), s.refusals(), c.key(), c.count());
  }

  private static void integrity(Csv csv, EvidenceReport r) throws IOException {
    csv.table("integrity", "dir", "origin", "intact", "entries", "checkpoints");
    for (Integrity i : r.integrity()) csv.row("integrity", i.dir(), i.origin(), i.intact(), i.entries(), i.checkpoints());
    csv.table("findings", "dir", "verdict", "fails", "file", "line", "detail");
    for (Integrity i : r.integrity()) {
      for (FindingRow f : i.findings()) csv.row("findings", i.dir(), f.verdict(), f.fails(), f.file(), f.line(), f.detail());
    }
    csv.table("checkpoints", "dir", "which", "time", "size", "root", "file", "line");
    for (Integrity i : r.integrity()) {
      for (CheckpointRow c : i.checkpointsCovering()) {
        csv.row("checkpoints", i.dir(), c.which(), c.time(), c.size(), c.root(), c.file(), c.line());
      }
    }
  }

  /** RFC 4180 rows; a blank line before every table but the first. */
  private static final class Csv {
    private final Writer out;
    private boolean first = true;

    Csv(Writer out) {
      this.out = out;
    }

    void table(String name, String... columns) throws IOException {
      if (!first) out.write("\r\n");
      first = false;
      List<Object> header = new ArrayList<>();
      header.add("table");
      header.addAll(List.of(columns));
      write(header);
    }

    void row(String table, Object... values) throws IOException {
      List<Object> row = new ArrayList<>();
      row.add(table);
      row.addAll(java.util.Arrays.asList(values));
      write(row);
    }

    private void write(List<Object> cells) throws IOException {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cells.size(); i++) {
        if (i > 0) line.append(',');
        line.append(cell(cells.get(i)));
      }
      out.write(line.append("\r\n").toString());
    }

    static String cell(Object value) {
      if (value == null) return "";
      if (value instanceof Number || value instanceof Boolean) return value.toString();
      String text = value.toString();
      if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) text = "'" + text;
      boolean padded = !text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(text.length() - 1) == ' ');
      boolean quote = padded || text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
          || text.indexOf('\r') >= 0;
      return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
  }
}
