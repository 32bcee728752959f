package io.gatehouse.audit.evidence;

import io.gatehouse.audit.evidence.EvidenceReport.Count;
import java.util.List;
import java.util.Locale;

/**
 * Bar charts drawn as inline SVG, so the report needs no script, font or network to show them: columns (one per
 * day, series stacked) and rows (one per key, e.g. per refusal reason). Labels go through {@link HtmlPage#escape}.
 * Each bar carries a {@code <title>}, which browsers show on hover, with its exact value.
 */
final class SvgBarChart {
  private static final int WIDTH = 960;
  private static final String FONT = "font-family=\"system-ui, sans-serif\" font-size=\"11\" fill=\"#5b6675\"";

  /** One stacked series: its name in the legend, its colour and one value per column. */
  record Series(String name, String color, long[] values) {}

  private SvgBarChart() {}

  /** Stacked columns, one per label; every k-th label is printed, k as small as keeps them apart. */
  static String columns(String title, List<String> labels, List<Series> series) {
    int left = 64;
    int right = 16;
    int top = 34;
    int bottom = 36;
    int height = 250;
    int plotWidth = WIDTH - left - right;
    int plotHeight = height - top - bottom;
    int n = Math.max(1, labels.size());
    long max = 0;
    for (int i = 0; i < labels.size(); i++) {
      long sum = 0;
      for (Series s : series) sum += s.values()[i];
      max = Math.max(max, sum);
    }
    long scale = niceCeiling(max);
    StringBuilder svg = open(title, height);
    svg.append(text(left, 18, "start", "#1d2430", "12", title));
    int legendX = WIDTH - right;
    for (int s = series.size() - 1; s >= 0; s--) {
      Series one = series.get(s);
      legendX -= 8 + one.name().length() * 7;
      svg.append(text(legendX + 14, 18, "start", "#1d2430", "11", one.name()));
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"9\" width=\"10\" height=\"10\" fill=\"%s\"/>", legendX,
          HtmlPage.escape(one.color())));
      legendX -= 16;
    }
    for (int g = 0; g <= 4; g++) {
      double y = top + plotHeight - plotHeight * g / 4.0;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e7ec\"/>",
          left, WIDTH - right, y, y));
      svg.append(text(left - 6, y + 4, "end", null, null, HtmlPage.number(scale * g / 4)));
    }
    double slot = plotWidth / (double) n;
    double barWidth = Math.max(1, Math.min(56, slot * 0.72));
    int longest = labels.stream().mapToInt(String::length).max().orElse(1);
    int every = (int) Math.ceil(n / (plotWidth / (longest * 6.5 + 14)));
    for (int i = 0; i < labels.size(); i++) {
      double x = left + i * slot + (slot - barWidth) / 2;
      double base = top + plotHeight;
      for (Series s : series) {
        long value = s.values()[i];
        if (value == 0) continue;
        double h = scale == 0 ? 0 : Math.max(1, plotHeight * (double) value / scale);
        base -= h;
        svg.append(String.format(Locale.ROOT,
            "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>", x, base,
            barWidth, h, HtmlPage.escape(s.color())));
        svg.append(HtmlPage.escape(labels.get(i) + " " + s.name() + ": " + HtmlPage.number(value)))
            .append("</title></rect>");
      }
      if (i % every == 0) svg.append(text(x + barWidth / 2, height - bottom + 16, "middle", null, null, labels.get(i)));
    }
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#8a94a3\"/>", left,
        WIDTH - right, top + plotHeight, top + plotHeight));
    return svg.append("</svg>").toString();
  }

  /** Horizontal bars, one per count, largest first as given; long labels are cut with an ellipsis. */
  static String rows(String title, List<Count> counts, String color) {
    int labelWidth = 200;
    int rowHeight = 22;
    int top = 30;
    int height = top + rowHeight * Math.max(1, counts.size()) + 8;
    long max = counts.stream().mapToLong(Count::count).max().orElse(0);
    int barSpace = WIDTH - labelWidth - 90;
    StringBuilder svg = open(title, height);
    svg.append(text(0, 18, "start", "#1d2430", "12", title));
    for (int i = 0; i < counts.size(); i++) {
      Count c = counts.get(i);
      int y = top + i * rowHeight;
      double w = max == 0 ? 0 : Math.max(1, barSpace * (double) c.count() / max);
      String label = c.key().length() > 30 ? c.key().substring(0, 29) + "…" : c.key();
      svg.append(text(labelWidth - 8, y + 15, "end", "#1d2430", "12", label));
      svg.append(String.format(Locale.ROOT,
          "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>", labelWidth, y + 3, w,
          rowHeight - 6, HtmlPage.escape(color)));
      svg.append(HtmlPage.escape(c.key() + ": " + HtmlPage.number(c.count()))).append("</title></rect>");
      svg.append(text(labelWidth + w + 6, y + 15, "start", null, null, HtmlPage.number(c.count())));
    }
    return svg.append("</svg>").toString();
  }

  private static StringBuilder open(String title, int height) {
    return new StringBuilder(4096).append(String.format(Locale.ROOT,
        "<svg role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
            + " aria-label=\"%s\">", WIDTH, height, WIDTH, height, HtmlPage.escape(title)));
  }

  private static String text(double x, double y, String anchor, String fill, String size, String value) {
    String style = fill == null ? FONT
        : "font-family=\"system-ui, sans-serif\" font-size=\"" + size + "\" fill=\"" + fill + "\"";
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>", x, y, anchor, style)
        + HtmlPage.escape(value) + "</text>";
  }

  /** 1, 2, 5 or 10 times a power of ten at or above {@code max}, rounded up to a multiple of 4 (the grid's lines). */
  static long niceCeiling(long max) {
    if (max <= 4) return 4;
    long power = 1;
    while (power * 10 <= max) power *= 10;
    long candidate = 10 * power;
    for (long step : new long[] {1, 2, 5}) {
      if (step * power >= max) {
        candidate = step * power;
        break;
      }
    }
    return candidate + (4 - candidate % 4) % 4;
  }
}
