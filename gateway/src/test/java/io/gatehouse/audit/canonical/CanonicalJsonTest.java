package io.gatehouse.audit.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8785 vectors (test resources audit/jcs, their README names the source), and what an entry may not hold. */
class CanonicalJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test void theJcsVectorsWithoutFractionsComeOutByteForByte() throws IOException {
    for (String name : List.of("arrays", "french", "structures", "unicode", "weird")) {
      byte[] expected = resource("output/" + name + ".json");

      assertThat(CanonicalJson.encode(JSON.readTree(resource("input/" + name + ".json"))))
          .as(name + ": " + new String(expected, StandardCharsets.UTF_8)).isEqualTo(expected);
    }
  }

  @Test void fractionsNumbersBeyondTwoToThe53AndLoneSurrogatesAreRefused() throws IOException {
    assertThatThrownBy(() -> CanonicalJson.encode(JSON.readTree(resource("input/values.json"))))
        .isInstanceOf(IllegalArgumentException.class);
    JsonNodeFactory f = JsonNodeFactory.instance;
    for (var bad : List.of(f.numberNode(0.5), f.numberNode(1L << 53), f.numberNode(-(1L << 53)), f.numberNode(1e300),
        f.textNode("\ud83d"), f.textNode("a\ude02b"))) {
      assertThatThrownBy(() -> CanonicalJson.encode(bad)).as(bad.toString()).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new String(CanonicalJson.encode(f.numberNode((1L << 53) - 1)), StandardCharsets.UTF_8))
        .isEqualTo("9007199254740991");
    assertThat(new String(CanonicalJson.encode(f.textNode("\u0000\u001f\u007f\u2028")), StandardCharsets.UTF_8))
        .isEqualTo("\"\\u0000\\u001f\u007f\u2028\"");
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = CanonicalJsonTest.class.getResourceAsStream("/audit/jcs/" + path)) {
      return in.readAllBytes();
    }
  }
}
