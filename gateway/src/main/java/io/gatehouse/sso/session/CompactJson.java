package io.gatehouse.sso.session;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The short-key JSON inside sealed cookies: writing with Jackson's streaming generator, reading into a tree with
 * strict types. A value that opened is one this gateway sealed, so a wrong shape means a bug or another version of
 * the gateway; reading it still never throws anything but {@link Malformed}.
 */
final class CompactJson {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectReader READER =
      new ObjectMapper(FACTORY).reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private CompactJson() {}

  /** Builds one JSON object; fields with a null value are left out. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    private final JsonGenerator json;

    Writer() {
      try {
        json = FACTORY.createGenerator(out);
        json.writeStartObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Writer text(String key, String value) {
      try {
        if (value != null) json.writeStringField(key, value);
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Writer bool(String key, boolean value) {
      try {
        json.writeBooleanField(key, value);
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Writer seconds(String key, Instant value) {
      try {
        json.writeNumberField(key, value.getEpochSecond());
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Writer texts(String key, List<String> values) {
      try {
        json.writeArrayFieldStart(key);
        for (String value : values) json.writeString(value);
        json.writeEndArray();
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    byte[] bytes() {
      try {
        json.writeEndObject();
        json.close();
        return out.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Reads one JSON object's fields with the types the writer gave them. */
  static final class Reader {
    private final JsonNode object;

    Reader(byte[] json) throws Malformed {
      JsonNode node;
      try {
        node = READER.readTree(json);
      } catch (IOException | RuntimeException e) {
        throw new Malformed();
      }
      if (node == null || !node.isObject()) throw new Malformed();
      this.object = node;
    }

    String requiredText(String key) throws Malformed {
      String value = optionalText(key);
      if (value == null) throw new Malformed();
      return value;
    }

    String optionalText(String key) throws Malformed {
      JsonNode node = object.get(key);
      if (node == null) return null;
      if (!node.isTextual()) throw new Malformed();
      return node.textValue();
    }

    boolean bool(String key) throws Malformed {
      JsonNode node = object.get(key);
      if (node == null || !node.isBoolean()) throw new Malformed();
      return node.booleanValue();
    }

    /** {@code absent} when the key is missing; a value of another type is malformed. */
    boolean optionalBool(String key, boolean absent) throws Malformed {
      return object.has(key) ? bool(key) : absent;
    }

    Instant seconds(String key) throws Malformed {
      JsonNode node = object.get(key);
      if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) throw new Malformed();
      long seconds = node.longValue();
      if (seconds < 0 || seconds > Instant.MAX.getEpochSecond()) throw new Malformed();
      return Instant.ofEpochSecond(seconds);
    }

    List<String> texts(String key) throws Malformed {
      JsonNode node = object.get(key);
      if (node == null || !node.isArray()) throw new Malformed();
      List<String> values = new ArrayList<>(node.size());
      for (JsonNode item : node) {
        if (!item.isTextual()) throw new Malformed();
        values.add(item.textValue());
      }
      return values;
    }
  }

  /** The bytes are not the JSON object expected; carries no detail, it is never shown. */
  static final class Malformed extends Exception {
    Malformed() {
      super(null, null, false, false);
    }
  }
}
