package io.gatehouse.audit.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.evidence.HtmlPage.Column;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlPageTest {
  @Test
  void escapesMarkupQuotesAndControlCharacters() {
    assertThat(HtmlPage.escape("<a href='x' title=\"y\">&amp;</a>"))
        .isEqualTo("&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;amp;&lt;/a&gt;");
    assertThat(HtmlPage.escape("a" + (char) 0 + "b" + (char) 0x1b + "c\td")).isEqualTo("a" + (char) 0xFFFD + "b"
        + (char) 0xFFFD + "c\td");
    assertThat(HtmlPage.escape(null)).isEmpty();
  }

  @Test
  void tableCellsAndClassesAreEscapedEvenWhenTheyHoldMarkup() {
    String html = new HtmlPage().table(List.of(Column.text("<th>"), Column.number("n")),
        List.of(Arrays.asList("</td><script>x</script>", 1_234_567L), Arrays.asList(null, null)), "none").toString();
    assertThat(html).doesNotContain("<script>").doesNotContain("<th><th>")
        .contains("<td>&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;</td>", "<td class=\"n\">1,234,567</td>", "<td></td>");
    assertThat(new HtmlPage().table(List.of(Column.text("x")), List.of(), "<none>").toString())
        .isEqualTo("<p class=\"muted\">&lt;none&gt;</p>");
  }

  @Test
  void roundsChartScalesUpToNumbersTheGridDividesEvenly() {
    assertThat(SvgBarChart.niceCeiling(0)).isEqualTo(4);
    assertThat(SvgBarChart.niceCeiling(73)).isEqualTo(100);
    assertThat(SvgBarChart.niceCeiling(7)).isEqualTo(12);
    assertThat(SvgBarChart.niceCeiling(8_300)).isEqualTo(10_000);
    assertThat(SvgBarChart.niceCeiling(150)).isEqualTo(200);
  }
}
