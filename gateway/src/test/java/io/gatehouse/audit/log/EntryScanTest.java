package io.gatehouse.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EntryScanTest {
  private final EntryScan scan = new EntryScan();

  @Test
  void readsTheTopLevelFields() {
    assertThat(scan("{\"kind\":\"request\",\"path\":\"/a\",\"prev\":\"AAAA\",\"seq\":42,\"time\":\"2026-12-01T00:00:00Z\"}"))
        .isTrue();
    assertThat(scan.seq()).isEqualTo(42);
    assertThat(scan.prev()).isEqualTo("AAAA");
    assertThat(scan.kind()).isEqualTo("request");
    assertThat(scan.time()).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(scan.prevEquals("AAAA".getBytes(StandardCharsets.US_ASCII))).isTrue();
    assertThat(scan.prevEquals("AAAB".getBytes(StandardCharsets.US_ASCII))).isFalse();
  }

  @Test
  void fieldsInsideValuesAreNotTheEntrysOwn() {
    assertThat(scan("{\"detail\":{\"seq\":7,\"prev\":\"X\"},\"list\":[{\"seq\":8}],\"note\":\"\\\"seq\\\":9,\","
        + "\"seq\":3}")).isTrue();
    assertThat(scan.seq()).isEqualTo(3);
    assertThat(scan.prev()).isNull();
    // An escaped backslash ends right before the closing quote; the next name is still found.
    assertThat(scan("{\"a\":\"x\\\\\",\"seq\":5,\"b\\\"seq\":6}")).isTrue();
    assertThat(scan.seq()).isEqualTo(5);
    // A name that is seq only once its escape is read is not seq: names are compared as written.
    assertThat(scan("{\"s\\u0065q\":1}")).isFalse();
  }

  @Test
  void aLongStringValueIsSkippedWholeWhateverItHolds() {
    String value = "x".repeat(1000) + "\\\"seq\\\":99" + "\\\\".repeat(17) + "y".repeat(33);
    assertThat(scan("{\"detail\":\"" + value + "\",\"seq\":12}")).isTrue();
    assertThat(scan.seq()).isEqualTo(12);
  }

  @Test
  void refusesWhatIsNotOneObjectWithAWholeNumberSeq() {
    String[] bad = {
      "", "{}", "[]", "{\"seq\":1", "\"seq\":1}", "{\"seq\":}", "{\"seq\":-1}", "{\"seq\":01}", "{\"seq\":1.5}",
      "{\"seq\":\"1\"}", "{\"seq\":12345678901234567}", "{\"seq\":1,}", "{,\"seq\":1}", "{\"seq\" :1}",
      "{\"seq\":1 }", "{\"a\":\"unterminated,\"seq\":1}", "{\"a\":{\"b\":1,\"seq\":1}", "{\"a\":\"x\\\"}",
      "{\"kind\":\"request\"}", "{seq:1}", "{\"seq\":1}{\"seq\":2}",
    };
    for (String line : bad) assertThat(scan(line)).as(line).isFalse();
    assertThat(scan("{\"seq\":0}")).isTrue();
    assertThat(scan("{\"seq\":1234567890123456}")).isTrue();
  }

  private boolean scan(String line) {
    byte[] padded = ("garbage" + line + "\"tail").getBytes(StandardCharsets.UTF_8);
    int offset = "garbage".length();
    return scan.scan(padded, offset, line.getBytes(StandardCharsets.UTF_8).length);
  }
}
