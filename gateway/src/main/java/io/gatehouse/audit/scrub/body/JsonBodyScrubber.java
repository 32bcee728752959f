package io.gatehouse.audit.scrub.body;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.gatehouse.audit.scrub.PhiType;
import io.gatehouse.audit.scrub.field.FieldNameMatcher;
import io.gatehouse.audit.scrub.field.FieldVerdict;
import io.gatehouse.audit.scrub.text.Spans;
import io.gatehouse.audit.scrub.text.TextScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scrubs JSON as it streams, with Jackson's non-blocking parser: each chunk is parsed as it is written and the
 * scrubbed tokens go straight to a {@link JsonWriter}, so nothing raw is kept between chunks. A field whose name is PHI has
 * its value replaced by one marker, an object or array whole; every other string and number goes through the text
 * scanner; field names too, when they hold digits or an {@code @} (keys that are e-mails or numbers). Nulls and
 * booleans say nothing about a person and are kept.
 *
 * <p>When the input stops parsing (invalid, or cut at {@code max_payload}) the parser is left, a token it had only
 * partly read is dropped with it, and the writer closes every open object and array, so the output is valid JSON
 * holding only what was scrubbed. Each scalar is kept only once the token after it has parsed: in
 * {@code [123-45-6789]} Jackson returns {@code 123} before it fails on the dash, and that prefix of an SSN must not
 * reach the log, so the writer takes it back.
 */
public final class JsonBodyScrubber implements BodyScrubber {
  /** Shared: Jackson factories are thread-safe once configured. */
  private static final JsonFactory FACTORY = new JsonFactory();
  /** Each type's marker in UTF-8, indexed by ordinal. */
  private static final byte[][] MARKERS = Arrays.stream(PhiType.values())
      .map(type -> type.marker().getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

  private final FieldNameMatcher fields;
  private final TypeCounts counts;
  private final ValueScrubber values;
  private final JsonParser parser;
  private final ByteArrayFeeder feeder;
  private final JsonWriter out;
  /** Names of the fields enclosing the current container, outermost first, for path keys. */
  private final List<String> path = new ArrayList<>();
  private Frame[] frames = new Frame[16];
  private int depth;
  private FieldVerdict pending = FieldVerdict.SCAN;
  private int skipDepth;
  private boolean afterName;
  private boolean failed;
  private String currentName;
  /** Whether the last token was a scalar the writer may still have to take back (see above). */
  private boolean held;
  /** Whether the held scalar is a field's value, so dropping it leaves a name to close with null. */
  private boolean heldAfterName;

  /** One open object or array: how its members are treated, and whether it pushed a name onto the path. */
  private static final class Frame {
    boolean object;
    boolean allowed;
    boolean pushed;
    FieldVerdict elements;
  }

  /** @param buffers lent for this body; the caller takes them back once {@link #finish} returned */
  public JsonBodyScrubber(FieldNameMatcher fields, TextScanner scanner, TypeCounts counts, ScratchBuffers buffers) {
    this.fields = fields;
    this.counts = counts;
    this.values = new ValueScrubber(scanner, counts, buffers);
    this.out = buffers.json();
    try {
      parser = FACTORY.createNonBlockingByteArrayParser();
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
    if (failed && held) {
      out.dropValue();
      afterName |= heldAfterName;
    }
    held = false;
    if (afterName) out.nul();
    while (depth > 0) {
      depth--;
      out.end();
    }
    try {
      parser.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Outcome(out.text(), incomplete && !cut);
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
      case END_OBJECT, END_ARRAY -> close();
      case VALUE_STRING -> scalar(true);
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> scalar(false);
      case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> literal(token);
      default -> throw new IOException("unexpected token " + token);
    }
  }

  private void name(String name) {
    currentName = name;
    Frame frame = frames[depth - 1];
    if (frame.allowed) {
      pending = fields.isKey(name, path) ? FieldVerdict.redact(PhiType.KEY) : FieldVerdict.ALLOW;
    } else {
      pending = fields.classify(name, path);
    }
    String scrubbed = mayHoldValue(name) ? values.scrub(name, 0, false) : null;
    out.fieldName(scrubbed != null ? scrubbed : name);
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

  private void open(boolean object) {
    FieldVerdict verdict = verdict();
    if (verdict.redacts()) {
      redact(verdict.type());
      skipDepth = 1;
      return;
    }
    boolean pushed = depth > 0 && frames[depth - 1].object;
    if (pushed) path.add(currentName);
    if (depth == frames.length) frames = Arrays.copyOf(frames, depth * 2);
    Frame frame = frames[depth] == null ? (frames[depth] = new Frame()) : frames[depth];
    frame.object = object;
    frame.pushed = pushed;
    frame.allowed = verdict.action() == FieldVerdict.Action.ALLOW;
    frame.elements = verdict;
    depth++;
    afterName = false;
    if (object) {
      out.startObject();
    } else {
      out.startArray();
    }
  }

  private void close() {
    Frame frame = frames[--depth];
    if (frame.pushed) path.remove(path.size() - 1);
    out.end();
    valueDone();
  }

  /** A string or number value: redacted, kept, or scanned (a scrubbed number is written as a string). */
  private void scalar(boolean isString) throws IOException {
    FieldVerdict verdict = verdict();
    if (verdict.redacts()) {
      redact(verdict.type());
      return;
    }
    char[] text = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    int length = parser.getTextLength();
    Spans found = verdict.action() == FieldVerdict.Action.SCAN
        ? values.find(text, offset, length, verdict.cueBits(), isString) : null;
    hold();
    if (found == null) {
      if (isString) {
        out.string(text, offset, length);
      } else {
        out.number(text, offset, length);
      }
    } else {
      out.startString();
      int at = offset;
      for (int i = 0; i < found.count(); i++) {
        out.stringPart(text, at, found.start(i));
        out.stringPart(MARKERS[found.type(i).ordinal()]);
        at = found.end(i);
      }
      out.stringPart(text, at, offset + length);
      out.endString();
    }
    valueDone();
  }

  private void literal(JsonToken token) {
    hold();
    if (token == JsonToken.VALUE_NULL) {
      out.nul();
    } else {
      out.bool(token == JsonToken.VALUE_TRUE);
    }
    valueDone();
  }

  /** The scalar about to be written is kept only once the next token parses ({@link #release()}). */
  private void hold() {
    out.markValue();
    held = true;
    heldAfterName = afterName;
  }

  /** Keeps the held scalar: the token after it parsed. */
  private void release() {
    if (!held) return;
    out.keepValue();
    held = false;
  }

  private void redact(PhiType type) {
    counts.add(type);
    out.string(MARKERS[type.ordinal()]);
    valueDone();
  }

  private void valueDone() {
    afterName = false;
    pending = FieldVerdict.SCAN;
  }
}
