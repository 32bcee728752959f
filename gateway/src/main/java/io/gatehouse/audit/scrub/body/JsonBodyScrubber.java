package io.gatehouse.audit.scrub.body;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.gatehouse.audit.scrub.PhiType;
import io.gatehouse.audit.scrub.field.FieldNameMatcher;
import io.gatehouse.audit.scrub.field.FieldVerdict;
import io.gatehouse.audit.scrub.text.TextScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Scrubs JSON as it streams, with Jackson's non-blocking parser: each chunk is parsed as it is written and the
 * scrubbed tokens go straight to a generator, so nothing raw is kept between chunks. A field whose name is PHI has
 * its value replaced by one marker, an object or array whole; every other string and number goes through the text
 * scanner; field names too, when they hold digits or an {@code @} (keys that are e-mails or numbers). Nulls and
 * booleans say nothing about a person and are kept.
 *
 * <p>When the input stops parsing (invalid, or cut at {@code max_payload}) the parser is left, a token it had only
 * partly read is dropped with it, and the generator closes every open object and array, so the output is valid
 * JSON holding only what was scrubbed. Each scalar is written only once the token after it has parsed: in
 * {@code [123-45-6789]} Jackson returns {@code 123} before it fails on the dash, and that prefix of an SSN must not
 * reach the log.
 */
public final class JsonBodyScrubber implements BodyScrubber {
  /** Shared: Jackson factories are thread-safe once configured. */
  private static final JsonFactory FACTORY = new JsonFactory();

  private final FieldNameMatcher fields;
  private final TypeCounts counts;
  private final ValueScrubber values;
  private final JsonParser parser;
  private final ByteArrayFeeder feeder;
  private final ByteArrayBuilder bytes = new ByteArrayBuilder(1024);
  private final JsonGenerator out;
  /** Names of the fields enclosing the current container, outermost first, for path keys. */
  private final List<String> path = new ArrayList<>();
  private Frame[] frames = new Frame[16];
  private int depth;
  private FieldVerdict pending = FieldVerdict.SCAN;
  private int skipDepth;
  private boolean afterName;
  private boolean failed;
  private String currentName;
  /** The last scalar, held back until the next token parses (see above). */
  private char[] heldChars = new char[256];
  private int heldLength;
  private Held held = Held.NONE;
  /** Whether the held scalar is a field's value, so dropping it leaves a name to close with null. */
  private boolean heldAfterName;

  /** How the held scalar is written. */
  private enum Held { NONE, STRING, NUMBER, TRUE, FALSE, NULL }

  /** One open object or array: how its members are treated, and whether it pushed a name onto the path. */
  private static final class Frame {
    boolean object;
    boolean allowed;
    boolean pushed;
    FieldVerdict elements;
  }

  public JsonBodyScrubber(FieldNameMatcher fields, TextScanner scanner, TypeCounts counts) {
    this.fields = fields;
    this.counts = counts;
    this.values = new ValueScrubber(scanner, counts);
    try {
      parser = FACTORY.createNonBlockingByteArrayParser();
      out = FACTORY.createGenerator(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
  }

  @Override
  public void write(byte[] chunk, int offset, int length) {
    if (failed || length == 0) return;
    try {
      feeder.feedInput(chunk, offset, offset + length);
      drain();
    } catch (IOException e) {
      failed = true;
    }
  }

  @Override
  public Outcome finish(boolean cut) {
    if (!failed) {
      feeder.endOfInput();
      try {
        drain();
      } catch (IOException e) {
        failed = true;
      }
    }
    boolean incomplete = failed || depth > 0;
    try {
      if (failed && held != Held.NONE) {
        afterName |= heldAfterName;
        held = Held.NONE;
      } else {
        release();
      }
      if (afterName) out.writeNull();
      while (depth > 0) {
        if (frames[--depth].object) {
          out.writeEndObject();
        } else {
          out.writeEndArray();
        }
      }
      out.close();
      parser.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Outcome(bytes.toByteArray(), incomplete && !cut);
  }

  private void drain() throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
      release();
      if (skipDepth > 0) {
        skip(token);
      } else {
        handle(token);
      }
    }
  }

  private void skip(JsonToken token) {
    if (token.isStructStart()) {
      skipDepth++;
    } else if (token.isStructEnd()) {
      skipDepth--;
    }
  }

  private void handle(JsonToken token) throws IOException {
    switch (token) {
      case FIELD_NAME -> name(parser.currentName());
      case START_OBJECT, START_ARRAY -> open(token == JsonToken.START_OBJECT);
      case END_OBJECT, END_ARRAY -> close(token == JsonToken.END_OBJECT);
      case VALUE_STRING -> scalar(Held.STRING, true);
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> scalar(Held.NUMBER, false);
      case VALUE_TRUE -> hold(Held.TRUE, null);
      case VALUE_FALSE -> hold(Held.FALSE, null);
      case VALUE_NULL -> hold(Held.NULL, null);
      default -> throw new IOException("unexpected token " + token);
    }
  }

  private void name(String name) throws IOException {
    currentName = name;
    Frame frame = frames[depth - 1];
    if (frame.allowed) {
      pending = fields.isKey(name, path) ? FieldVerdict.redact(PhiType.KEY) : FieldVerdict.ALLOW;
    } else {
      pending = fields.classify(name, path);
    }
    String scrubbed = mayHoldValue(name) ? values.scrub(name, 0, false) : null;
    out.writeFieldName(scrubbed != null ? scrubbed : name);
    afterName = true;
  }

  private static boolean mayHoldValue(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if ((c >= '0' && c <= '9') || c == '@' || c == ':' || c == '.' && name.startsWith("www", 0)) return true;
    }
    return false;
  }

  /** The verdict for the value now being read: its field's, or its array's. */
  private FieldVerdict verdict() {
    if (depth == 0) return FieldVerdict.SCAN;
    Frame frame = frames[depth - 1];
    return frame.object ? pending : frame.elements;
  }

  private void open(boolean object) throws IOException {
    FieldVerdict verdict = verdict();
    if (verdict.redacts()) {
      redact(verdict.type());
      skipDepth = 1;
      return;
    }
    boolean pushed = depth > 0 && frames[depth - 1].object;
    if (pushed) path.add(currentName);
    if (depth == frames.length) frames = java.util.Arrays.copyOf(frames, depth * 2);
    Frame frame = frames[depth] == null ? (frames[depth] = new Frame()) : frames[depth];
    frame.object = object;
    frame.pushed = pushed;
    frame.allowed = verdict.action() == FieldVerdict.Action.ALLOW;
    frame.elements = verdict;
    depth++;
    afterName = false;
    if (object) {
      out.writeStartObject();
    } else {
      out.writeStartArray();
    }
  }

  private void close(boolean object) throws IOException {
    Frame frame = frames[--depth];
    if (frame.pushed) path.remove(path.size() - 1);
    if (object) {
      out.writeEndObject();
    } else {
      out.writeEndArray();
    }
    valueDone();
  }

  /** A string or number value: redacted, kept, or scanned (a scrubbed number is written as a string). */
  private void scalar(Held kind, boolean isString) throws IOException {
    FieldVerdict verdict = verdict();
    char[] text = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    int length = parser.getTextLength();
    switch (verdict.action()) {
      case REDACT -> redact(verdict.type());
      case ALLOW -> hold(kind, text, offset, length);
      case SCAN -> {
        String scrubbed = values.scrub(text, offset, length, verdict.cueBits(), isString);
        if (scrubbed == null) {
          hold(kind, text, offset, length);
        } else {
          hold(Held.STRING, scrubbed);
        }
      }
    }
  }

  private void hold(Held kind, char[] text, int offset, int length) {
    if (length > heldChars.length) heldChars = new char[Math.max(length, heldChars.length * 2)];
    System.arraycopy(text, offset, heldChars, 0, length);
    heldLength = length;
    held = kind;
    heldAfterName = afterName;
    valueDone();
  }

  private void hold(Held kind, String text) {
    int length = text == null ? 0 : text.length();
    if (length > heldChars.length) heldChars = new char[Math.max(length, heldChars.length * 2)];
    if (text != null) text.getChars(0, length, heldChars, 0);
    heldLength = length;
    held = kind;
    heldAfterName = afterName;
    valueDone();
  }

  /** Writes the held scalar: the token after it parsed. */
  private void release() throws IOException {
    switch (held) {
      case NONE -> {
        return;
      }
      case STRING -> out.writeString(heldChars, 0, heldLength);
      case NUMBER -> out.writeNumber(heldChars, 0, heldLength);
      case TRUE -> out.writeBoolean(true);
      case FALSE -> out.writeBoolean(false);
      case NULL -> out.writeNull();
    }
    held = Held.NONE;
  }

  private void redact(PhiType type) throws IOException {
    counts.add(type);
    out.writeString(type.marker());
    valueDone();
  }

  private void valueDone() {
    afterName = false;
    pending = FieldVerdict.SCAN;
  }
}
