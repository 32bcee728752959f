package io.gatehouse.audit.evidence;

import java.util.List;
import java.util.Locale;

/**
 * Builds one HTML page in which every value from the log goes through {@link #escape}: markup is only ever written
 * from this package's constants ({@link #raw}), and log text only through {@link #text}, {@link #element} and
 * {@link #table}. The log's paths, e-mails and details are attacker-influenced, so this is the one place that stands
 * between them and the auditor's browser; the page's Content-Security-Policy forbids scripts as a second line.
 */
final class HtmlPage {
  private final StringBuilder out = new StringBuilder(1 << 16);

  /** A table column: its heading and how its cells look. */
  record Column(String heading, Style style) {
    static Column text(String heading) {
      return new Column(heading, Style.TEXT);
    }

    static Column number(String heading) {
      return new Column(heading, Style.NUMBER);
    }

    static Column code(String heading) {
      return new Column(heading, Style.CODE);
    }

    /** Short values that read best on one line: days, times, rule names. */
    static Column word(String heading) {
      return new Column(heading, Style.WORD);
    }
  }

  enum Style { TEXT, NUMBER, CODE, WORD }

  /**
   * Text safe inside an element or a double-quoted attribute: {@code & < > " '} as character references, and control
   * characters (other than tab and line breaks) as U+FFFD, which a browser would otherwise reject or misread.
   */
  static String escape(String text) {
    if (text == null) return "";
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) b.append((char) 0xFFFD);
          else b.append(c);
        }
      }
    }
    return b.toString();
  }

  static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Markup written as it is: for this package's constant tags and attributes only, never for log values. */
  HtmlPage raw(String markup) {
    out.append(markup);
    return this;
  }

  HtmlPage text(String value) {
    out.append(escape(value));
    return this;
  }

  /** {@code <tag class="cls">value</tag>}; {@code cls} may be null. */
  HtmlPage element(String tag, String cls, String value) {
    out.append('<').append(tag);
    if (cls != null) out.append(" class=\"").append(escape(cls)).append('"');
    out.append('>').append(escape(value)).append("</").append(tag).append('>');
    return this;
  }

  /** A table of {@code rows} (each cell escaped here), or {@code empty} as a paragraph when there are none. */
  HtmlPage table(List<Column> columns, List<? extends List<?>> rows, String empty) {
    if (rows.isEmpty()) return element("p", "muted", empty);
    out.append("<table><thead><tr>");
    for (Column c : columns) element("th", c.style() == Style.NUMBER ? "n" : null, c.heading());
    out.append("</tr></thead><tbody>");
    for (List<?> row : rows) {
      out.append("<tr>");
      for (int i = 0; i < columns.size(); i++) {
        Object value = i < row.size() ? row.get(i) : null;
        Style style = columns.get(i).style();
        String cell = value == null ? "" : value instanceof Long n ? number(n) : value.toString();
        element("td", switch (style) {
          case NUMBER -> "n";
          case CODE -> "mono";
          case WORD -> "word";
          case TEXT -> null;
        }, cell);
      }
      out.append("</tr>");
    }
    out.append("</tbody></table>");
    return this;
  }

  /** A table row that may hold nulls (shown as empty cells). */
  static List<Object> row(Object... cells) {
    return java.util.Arrays.asList(cells);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
