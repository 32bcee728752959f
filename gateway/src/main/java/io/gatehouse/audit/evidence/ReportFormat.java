package io.gatehouse.audit.evidence;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/** The formats {@code gatehouse evidence --format} writes: one renderer each, over the same {@link EvidenceReport}. */
public enum ReportFormat {
  HTML(new HtmlReport()),
  JSON(new JsonReport()),
  CSV(new CsvReport());

  private final Renderer renderer;

  ReportFormat(Renderer renderer) {
    this.renderer = renderer;
  }

  /** {@code html}, {@code json} or {@code csv}, any case. */
  public static ReportFormat parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--format " + name + ": expected html, json or csv");
    }
  }

  public void render(EvidenceReport report, Writer out) throws IOException {
    renderer.render(report, out);
  }

  /** Writes a report; holds no state, so one instance serves every run. */
  interface Renderer {
    void render(EvidenceReport report, Writer out) throws IOException;
  }
}
