package io.gatehouse.audit.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The writer's fast encoder must give exactly the bytes of the tree-based RFC 8785 encoder it stands in for. */
class CanonicalFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void encodesExactlyAsTheReferenceEncoderForRandomObjects() {
    Random random = new Random(11);
    for (int n = 0; n < 5_000; n++) {
      CanonicalFields fields = new CanonicalFields();
      ObjectNode reference = JSON.createObjectNode();
      int members = 1 + random.nextInt(12);
      for (int m = 0; m < members; m++) {
        String name = randomText(random, 1 + random.nextInt(8)) + m;
        switch (random.nextInt(4)) {
          case 0 -> {
            String value = randomText(random, random.nextInt(40));
            fields.put(name, value);
            reference.put(name, value);
          }
          case 1 -> {
            long value = random.nextLong() % (1L << 53);
            fields.put(name, value);
            reference.put(name, value);
          }
          case 2 -> {
            boolean value = random.nextBoolean();
            fields.put(name, value);
            reference.put(name, value);
          }
          default -> {
            List<String> value = List.of(randomText(random, 5), randomText(random, 3));
            fields.putValue(name, value);
            reference.putArray(name).add(value.get(0)).add(value.get(1));
          }
        }
      }
      ByteSink out = new ByteSink(16);
      fields.writeTo(out);
      assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8))
          .isEqualTo(new String(CanonicalJson.encode(reference), StandardCharsets.UTF_8));
    }
  }

  @Test
  void oneReusedEncoderStaysExactWhenTheMembersComeInTheSameOrderOrAnother() {
    // The writer's case: one encoder, the same constant names entry after entry, sometimes another set or order.
    String[] names = {"seq", "prev", "kind", "time", "status", "path", "bytes_in", "route", "identity", "a", "B"};
    Random random = new Random(29);
    CanonicalFields fields = new CanonicalFields();
    ByteSink out = new ByteSink(16);
    int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    for (int n = 0; n < 5_000; n++) {
      if (random.nextInt(10) == 0) {
        for (int i = order.length - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
      }
      int members = random.nextInt(4) == 0 ? 1 + random.nextInt(names.length) : names.length;
      ObjectNode reference = JSON.createObjectNode();
      fields.reset();
      for (int m = 0; m < members; m++) {
        String name = names[order[m]];
        if (random.nextBoolean()) {
          long value = random.nextLong() % (1L << 53);
          fields.put(name, value);
          reference.put(name, value);
        } else {
          String value = randomText(random, random.nextInt(20));
          fields.put(name, value);
          reference.put(name, value);
        }
      }
      out.reset();
      fields.writeTo(out);
      assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8))
          .isEqualTo(new String(CanonicalJson.encode(reference), StandardCharsets.UTF_8));
    }
  }

  @Test
  void oneReusedEncoderWritesNestedMapsExactly() {
    // The writer's nested maps (a payload entry's redactions, a config change) go through one reused child encoder.
    Random random = new Random(31);
    CanonicalFields fields = new CanonicalFields();
    ByteSink out = new ByteSink(16);
    for (int n = 0; n < 2_000; n++) {
      fields.reset();
      ObjectNode reference = JSON.createObjectNode();
      java.util.TreeMap<String, Object> map = new java.util.TreeMap<>();
      ObjectNode nested = reference.putObject("redactions");
      for (int k = random.nextInt(6); k >= 0; k--) {
        String key = randomText(random, 1 + random.nextInt(6)) + k;
        long value = random.nextInt(1000);
        map.put(key, value);
        nested.put(key, value);
      }
      if (random.nextBoolean()) {
        map.put("zz-inner", Map.of("b", 2L, "a", "x\"y"));
        nested.putObject("zz-inner").put("a", "x\"y").put("b", 2L);
      }
      fields.putValue("redactions", map).put("kind", "payload");
      reference.put("kind", "payload");
      out.reset();
      fields.writeTo(out);
      assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8))
          .isEqualTo(new String(CanonicalJson.encode(reference), StandardCharsets.UTF_8));
    }
  }

  @Test
  void leavesOutNullsNestsMapsCutsLongStringsAndReplacesLoneSurrogates() {
    CanonicalFields fields = new CanonicalFields()
        .put("b", (String) null)
        .putValue("a", Map.of("last", 2L, "first", 1L))
        .put("c", "x".repeat(CanonicalFields.MAX_STRING + 10))
        .put("d", "bad\ud800end");
    ByteSink out = new ByteSink(16);
    fields.writeTo(out);
    String text = new String(out.toByteArray(), StandardCharsets.UTF_8);
    assertThat(text).startsWith("{\"a\":{\"first\":1,\"last\":2},\"c\":\"xxx")
        .contains("x" + CanonicalFields.CUT_MARK + "\"")
        .endsWith(",\"d\":\"bad\ufffdend\"}")
        .doesNotContain("\"b\"");
  }

  private static String randomText(Random random, int length) {
    StringBuilder s = new StringBuilder();
    String specials = "\"\\\b\f\n\r\t\u0001\u001f\u007f\u00e9\u20ac";
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind == 0) s.append(specials.charAt(random.nextInt(specials.length())));
      else if (kind == 1) s.appendCodePoint(0x1F600 + random.nextInt(50));
      else s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }
}
