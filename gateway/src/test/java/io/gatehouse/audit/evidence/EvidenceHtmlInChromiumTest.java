package io.gatehouse.audit.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.idp.HeadlessBrowser;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report as a person sees it, in a real headless Chromium: the five sections, charts drawn with bars, and
 * the log's hostile values (a {@code <script>} path, an e-mail that closes an attribute to add an {@code <img>})
 * shown as text, never run. A screenshot of the whole page goes to {@code /tmp/evidence.png} for a person to judge.
 */
class EvidenceHtmlInChromiumTest {
  @TempDir Path tmp;

  @Test
  void showsTheFiveSectionsAndChartsAndHostileLogValuesAsTextThatNeverRuns() throws Exception {
    SampleLog sample = SampleLog.write(tmp);
    EvidenceReport report = EvidenceCollectorTest.collect(List.of(sample.r1, sample.r2), sample.publicKey,
        sample.secondPublicKey);
    Path html = tmp.resolve("evidence.html");
    try (Writer out = Files.newBufferedWriter(html, StandardCharsets.UTF_8)) {
      ReportFormat.HTML.render(report, out);
    }
    assertThat(Files.readString(html)).doesNotContain("<script", "<img", "<link", "src=\"", "href=\"http", "url(")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;");

    try (HeadlessBrowser browser = HeadlessBrowser.start(List.of())) {
      browser.open(html.toUri().toString());
      assertThat(browser.openDialog()).as("a dialog opened by the page").isEmpty();
      assertThat(browser.title()).isEqualTo("Gatehouse evidence 2026-03-10 to 2026-03-11");
      @SuppressWarnings("unchecked")
      List<String> headings = (List<String>) browser.runScript(
          "return Array.from(document.querySelectorAll('h2')).map(h => h.textContent)");
      assertThat(headings).containsExactly("1. Who reached n8n", "2. Refusals", "3. Config versions in force",
          "4. Anomalies", "5. Integrity");
      long charts = ((Number) browser.runScript("return document.querySelectorAll('svg').length")).longValue();
      long bars = ((Number) browser.runScript("return document.querySelectorAll('svg rect.bar').length")).longValue();
      assertThat(charts).isGreaterThanOrEqualTo(2);
      assertThat(bars).isGreaterThanOrEqualTo(4);
      // The bars are drawn: a real box with a height, not an element with nothing to show.
      double tallest = ((Number) browser.runScript("return Math.max(...Array.from(document.querySelectorAll("
          + "'#access svg rect.bar')).map(r => r.getBoundingClientRect().height))")).doubleValue();
      assertThat(tallest).isGreaterThan(20);

      assertThat(browser.runScript("return document.scripts.length")).isEqualTo(0L);
      assertThat(browser.runScript("return document.images.length")).isEqualTo(0L);
      String text = browser.pageText();
      assertThat(text).contains(SampleLog.SCRIPT_PATH).contains(SampleLog.HOSTILE_EMAIL)
          .contains("Integrity: every log verifies");
      assertThat(browser.runScript("return Array.from(document.querySelectorAll('td')).some(td => td.textContent === "
          + "arguments[0])", SampleLog.SCRIPT_PATH)).isEqualTo(true);
      assertThat(browser.openDialog()).isEmpty();
      browser.screenshotWholePage(Path.of("/tmp/evidence.png"), 1280);
    }
    assertThat(Files.size(Path.of("/tmp/evidence.png"))).isGreaterThan(10_000);
  }
}
