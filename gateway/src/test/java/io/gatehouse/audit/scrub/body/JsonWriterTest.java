package io.gatehouse.audit.scrub.body;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The writer's bytes against Jackson's generator (what wrote the audit log before it): the same calls must give
 * the same bytes, whatever the characters.
 */
class JsonWriterTest {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** One document written both ways. */
  private interface Script {
    void jackson(JsonGenerator g) throws Exception;

    void ours(JsonWriter w);
  }

  private static void assertSame(Script script) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
      script.jackson(g);
    }
    JsonWriter w = new JsonWriter(4);
    script.ours(w);
    assertThat(new String(w.toByteArray(), StandardCharsets.ISO_8859_1))
        .isEqualTo(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1));
  }

  @Test
  void escapesEveryCharacterAsJacksonDoes() throws Exception {
    StringBuilder all = new StringBuilder();
    for (int c = 0; c < 0x10000; c++) all.append((char) c);
    char[] text = all.toString().toCharArray();
    assertSame(new Script() {
      @Override
      public void jackson(JsonGenerator g) throws Exception {
        g.writeStartObject();
        g.writeFieldName(all.toString());
        g.writeString(text, 0, text.length);
        g.writeEndObject();
      }

      @Override
      public void ours(JsonWriter w) {
        w.startObject();
        w.fieldName(all.toString());
        w.string(text, 0, text.length);
        w.end();
      }
    });
  }

  @Test
  void writesSurrogatePairsAndLoneSurrogatesAsJacksonDoes() throws Exception {
    char[] text = "a\uD83D\uDE00b\uD800c\uDFFF\uDBFF\uDC00".toCharArray();
    assertSame(new Script() {
      @Override
      public void jackson(JsonGenerator g) throws Exception {
        g.writeStartArray();
        g.writeString(text, 0, text.length);
        g.writeString(text, 1, 2);
        g.writeEndArray();
      }

      @Override
      public void ours(JsonWriter w) {
        w.startArray();
        w.string(text, 0, text.length);
        w.string(text, 1, 2);
        w.end();
      }
    });
  }

  @Test
  void separatesMembersElementsAndRootValuesAsJacksonDoes() throws Exception {
    char[] number = "-12.5e3".toCharArray();
    assertSame(new Script() {
      @Override
      public void jackson(JsonGenerator g) throws Exception {
        g.writeStartObject();
        g.writeFieldName("a");
        g.writeStartArray();
        g.writeNumber(number, 0, number.length);
        g.writeBoolean(true);
        g.writeNull();
        g.writeStartObject();
        g.writeEndObject();
        g.writeStartArray();
        g.writeEndArray();
        g.writeBoolean(false);
        g.writeEndArray();
        g.writeFieldName("b");
        g.writeString("[REDACTED:SSN]");
        g.writeFieldName("");
        g.writeNull();
        g.writeEndObject();
        g.writeNumber(number, 1, 2);
        g.writeStartArray();
        g.writeEndArray();
        g.writeString("x");
      }

      @Override
      public void ours(JsonWriter w) {
        w.startObject();
        w.fieldName("a");
        w.startArray();
        w.number(number, 0, number.length);
        w.bool(true);
        w.nul();
        w.startObject();
        w.end();
        w.startArray();
        w.end();
        w.bool(false);
        w.end();
        w.fieldName("b");
        w.string("[REDACTED:SSN]".getBytes(StandardCharsets.US_ASCII));
        w.fieldName("");
        w.nul();
        w.end();
        w.number(number, 1, 2);
        w.startArray();
        w.end();
        w.string("x".toCharArray(), 0, 1);
      }
    });
  }

  @Test
  void matchesJacksonOnRandomDocuments() throws Exception {
    Random random = new Random(7);
    for (int doc = 0; doc < 300; doc++) {
      long seed = random.nextLong();
      assertSame(new Script() {
        @Override
        public void jackson(JsonGenerator g) throws Exception {
          new RandomDocument(seed).write(g, null);
        }

        @Override
        public void ours(JsonWriter w) {
          try {
            new RandomDocument(seed).write(null, w);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }
      });
    }
  }

  @Test
  void takesBackTheMarkedValueAndItsSeparator() {
    JsonWriter w = new JsonWriter(16);
    w.startArray();
    w.markValue();
    w.bool(true);
    w.keepValue();
    w.markValue();
    w.number("123".toCharArray(), 0, 3);
    w.dropValue();
    w.startObject();
    w.fieldName("a");
    w.markValue();
    w.string("x".toCharArray(), 0, 1);
    w.dropValue();
    w.nul();
    w.end();
    w.end();
    assertThat(new String(w.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("[true,{\"a\":null}]");

    w.reset();
    w.markValue();
    w.bool(false);
    w.dropValue();
    w.nul();
    assertThat(new String(w.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("null");
  }

  /** A seeded random nesting of every kind of call, with strings of random characters from all planes. */
  private static final class RandomDocument {
    private final Random random;

    RandomDocument(long seed) {
      random = new Random(seed);
    }

    void write(JsonGenerator g, JsonWriter w) throws Exception {
      int roots = 1 + random.nextInt(3);
      for (int i = 0; i < roots; i++) value(g, w, 0);
    }

    private void value(JsonGenerator g, JsonWriter w, int depth) throws Exception {
      int kind = random.nextInt(depth > 4 ? 4 : 6);
      switch (kind) {
        case 0 -> {
          char[] text = text();
          int from = text.length == 0 ? 0 : random.nextInt(text.length);
          if (g != null) g.writeString(text, from, text.length - from);
          if (w != null) w.string(text, from, text.length - from);
        }
        case 1 -> {
          char[] number = Long.toString(random.nextLong()).toCharArray();
          if (g != null) g.writeNumber(number, 0, number.length);
          if (w != null) w.number(number, 0, number.length);
        }
        case 2 -> {
          boolean b = random.nextBoolean();
          if (g != null) g.writeBoolean(b);
          if (w != null) w.bool(b);
        }
        case 3 -> {
          if (g != null) g.writeNull();
          if (w != null) w.nul();
        }
        case 4 -> {
          if (g != null) g.writeStartArray();
          if (w != null) w.startArray();
          int n = random.nextInt(4);
          for (int i = 0; i < n; i++) value(g, w, depth + 1);
          if (g != null) g.writeEndArray();
          if (w != null) w.end();
        }
        default -> {
          if (g != null) g.writeStartObject();
          if (w != null) w.startObject();
          int n = random.nextInt(4);
          for (int i = 0; i < n; i++) {
            String name = new String(text());
            if (g != null) g.writeFieldName(name);
            if (w != null) w.fieldName(name);
            value(g, w, depth + 1);
          }
          if (g != null) g.writeEndObject();
          if (w != null) w.end();
        }
      }
    }

    private char[] text() {
      char[] text = new char[random.nextInt(random.nextInt(10) == 0 ? 3000 : 40)];
      for (int i = 0; i < text.length; i++) {
        text[i] = switch (random.nextInt(5)) {
          case 0 -> (char) random.nextInt(0x80);
          case 1 -> (char) random.nextInt(0x800);
          case 2 -> (char) (0xd800 + random.nextInt(0x800));
          default -> (char) random.nextInt(0x10000);
        };
      }
      return text;
    }
  }
}
