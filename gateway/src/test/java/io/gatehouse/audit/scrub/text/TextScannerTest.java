package io.gatehouse.audit.scrub.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.scrub.detect.Cue;
import org.junit.jupiter.api.Test;

class TextScannerTest {
  private final TextScanner scanner = new TextScanner(NameLists.shipped());

  private String scrub(String text, int hints) {
    char[] chars = text.toCharArray();
    Spans spans = new Spans();
    scanner.scan(chars, 0, chars.length, hints, true, new ScanState(), spans);
    StringBuilder out = new StringBuilder();
    spans.apply(chars, 0, chars.length, out);
    return out.toString();
  }

  private String scrub(String text) {
    return scrub(text, 0);
  }

  @Test
  void redactsEachIdentifierInPlaceAndKeepsTheRest() {
    assertThat(scrub("SSN 123-45-6789, call (617) 555-0123, mail a.b@example.com, see https://x.example/p."))
        .isEqualTo("SSN [REDACTED:SSN], call [REDACTED:PHONE], mail [REDACTED:EMAIL], see [REDACTED:URL].");
  }

  @Test
  void findsNamesAfterTitlesCuesAndFromTheLists() {
    assertThat(scrub("Dr. Sparkle Bahringer saw Mrs. Jones.")).isEqualTo("Dr. [REDACTED:NAME] saw Mrs. [REDACTED:NAME].");
    assertThat(scrub("Patient: Maria Kshlerin arrived")).isEqualTo("Patient: [REDACTED:NAME] arrived");
    assertThat(scrub("spoke with Jennifer Altenwerth today")).isEqualTo("spoke with [REDACTED:NAME] today");
    assertThat(scrub("Brown, Michael called")).isEqualTo("[REDACTED:NAME] called");
    assertThat(scrub("Dear Sarah,")).isEqualTo("Dear [REDACTED:NAME],");
  }

  @Test
  void leavesCapitalisedPhrasesThatAreNoNames() {
    for (String text : new String[] {"Grace Period ends", "Mark Complete", "Lab Results", "Blood Pressure normal",
        "Will Send Tomorrow", "The Patient Portal"}) {
      assertThat(scrub(text)).as(text).isEqualTo(text);
    }
  }

  @Test
  void findsMedicalRecordNumbersAndPersonDatesOnlyByContext() {
    assertThat(scrub("MRN: 00123456; order 00123456")).isEqualTo("MRN: [REDACTED:MRN]; order 00123456");
    assertThat(scrub("medical record number A-4821773")).isEqualTo("medical record number [REDACTED:MRN]");
    assertThat(scrub("born 1985-03-02, invoiced 2024-05-01 for 1985 units"))
        .isEqualTo("born [REDACTED:DATE], invoiced 2024-05-01 for 1985 units");
    assertThat(scrub("1985-03-02 (DOB)")).isEqualTo("[REDACTED:DATE] (DOB)");
  }

  @Test
  void leavesHardNegativesAlone() {
    String text = "exec 550e8400-e29b-41d4-a716-446655440000 at 1718304000 ICD E11.9 CPT 99213 invoice INV-2024-0042 "
        + "total $1,234.56 sku 90210-B v1.2.3.4.5 time 12:30:45";
    assertThat(scrub(text)).isEqualTo(text);
  }

  @Test
  void takesANpiShapedNumberInATimeFieldForATime() {
    assertThat(scrub("1234567893", Cue.TIME.bit())).isEqualTo("1234567893");
    assertThat(scrub("1234567893")).isEqualTo("[REDACTED:NPI]");
  }

  @Test
  void scansAdversarialInputInLinearTime() {
    // Inputs that make backtracking patterns explode: long runs of near-matches.
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) text.append("1-1.a@a").append(i % 7 == 0 ? "::" : "-").append("Mr ");
    char[] chars = text.toString().toCharArray();
    long start = System.nanoTime();
    scanner.scan(chars, 0, chars.length, 0, true, new ScanState(), new Spans());
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }
}
