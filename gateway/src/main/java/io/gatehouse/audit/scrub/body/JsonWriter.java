package io.gatehouse.audit.scrub.body;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Compact JSON written straight into one growing byte array, byte for byte as Jackson's {@code UTF8JsonGenerator}
 * writes it with its default features (the audit log's format did not change when this replaced it): no spaces but
 * one between root values, UTF-8 but for the two-character escapes of quote, backslash, backspace, form feed, new
 * line, carriage return and tab, and the six-character ones (backslash, u, four upper-case hex digits) of the other
 * control characters and of every surrogate; {@code /} and DEL as they are.
 * A generator per body cost more than the writing (a context object per container, a string copied into a char
 * buffer before each encoding, the output copied out of a list of chunks).
 *
 * <p>It checks nothing: the caller writes what a parser read, so names and values already alternate. The one
 * value written last can be taken back ({@link #markValue()}, {@link #dropValue()}): a scalar is only safe to keep
 * once the token after it has parsed ({@link JsonBodyScrubber}). Not thread-safe: one per body, or reused by one
 * thread after {@link #reset()}.
 */
final class JsonWriter {
  private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  /** Per ASCII character: 0 as it is, the letter after the backslash, or -1 for a six-character escape. */
  private static final byte[] ESCAPES = new byte[128];
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  /** The most bytes one char can take: a six-character escape. */
  private static final int MAX_BYTES_PER_CHAR = 6;

  static {
    for (int c = 0; c < 0x20; c++) ESCAPES[c] = -1;
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\f'] = 'f';
    ESCAPES['\n'] = 'n';
    ESCAPES['\r'] = 'r';
    ESCAPES['\t'] = 't';
  }

  private byte[] out;
  private int size;
  /** Per open container, innermost last: whether it is an object, and whether it has a member yet. */
  private boolean[] objects = new boolean[16];
  private boolean[] members = new boolean[16];
  private int depth;
  private boolean rootValue;
  private boolean afterName;
  /** The state before the last value began, for {@link #dropValue()}; {@code markSize} -1 when none. */
  private int markSize = -1;
  private boolean markMember;
  private boolean markRootValue;
  private boolean markAfterName;
  private char[] nameChars = new char[64];

  JsonWriter(int capacity) {
    out = new byte[capacity];
  }

  /** Empties the writer for the next body; the buffers it grew are kept. */
  void reset() {
    size = 0;
    depth = 0;
    rootValue = false;
    afterName = false;
    markSize = -1;
  }

  /** A copy of what was written. */
  byte[] toByteArray() {
    return Arrays.copyOf(out, size);
  }

  /** What was written, as text (it is UTF-8). */
  String text() {
    return new String(out, 0, size, StandardCharsets.UTF_8);
  }

  /** The bytes written so far, for tests. */
  int size() {
    return size;
  }

  /** How many bytes the writer holds before it grows. */
  int capacity() {
    return out.length;
  }

  void startObject() {
    beforeValue();
    push(true);
    put('{');
  }

  void startArray() {
    beforeValue();
    push(false);
    put('[');
  }

  /** Closes the innermost container. */
  void end() {
    put(objects[--depth] ? '}' : ']');
  }

  int depth() {
    return depth;
  }

  void fieldName(String name) {
    int length = name.length();
    if (length > nameChars.length) nameChars = new char[Math.max(length, nameChars.length * 2)];
    name.getChars(0, length, nameChars, 0);
    fieldName(nameChars, 0, length);
  }

  void fieldName(char[] name, int offset, int length) {
    ensure(1 + length * MAX_BYTES_PER_CHAR + 2);
    if (members[depth - 1]) out[size++] = ',';
    members[depth - 1] = true;
    out[size++] = '"';
    escaped(name, offset, offset + length);
    out[size++] = '"';
    afterName = true;
  }

  void string(char[] text, int offset, int length) {
    startString();
    stringPart(text, offset, offset + length);
    endString();
  }

  /** A string of ASCII bytes that need no escape (a redaction marker). */
  void string(byte[] ascii) {
    startString();
    stringPart(ascii);
    endString();
  }

  /** Opens a string value to be written in parts ({@link #stringPart}), closed by {@link #endString()}. */
  void startString() {
    beforeValue();
    put('"');
  }

  void stringPart(char[] text, int from, int to) {
    ensure((to - from) * MAX_BYTES_PER_CHAR);
    escaped(text, from, to);
  }

  void stringPart(byte[] ascii) {
    ensure(ascii.length);
    System.arraycopy(ascii, 0, out, size, ascii.length);
    size += ascii.length;
  }

  void endString() {
    put('"');
  }

  /** A number as the parser read it (ASCII: digits, sign, point, exponent). */
  void number(char[] text, int offset, int length) {
    beforeValue();
    ensure(length);
    for (int i = offset; i < offset + length; i++) out[size++] = (byte) text[i];
  }

  void bool(boolean value) {
    literal(value ? TRUE : FALSE);
  }

  void nul() {
    literal(NULL);
  }

  /** Remembers the state before the value about to be written, so {@link #dropValue()} can take it back. */
  void markValue() {
    markSize = size;
    markMember = depth > 0 && members[depth - 1];
    markRootValue = rootValue;
    markAfterName = afterName;
  }

  /** Takes back the value written since {@link #markValue()}, if there is one; a no-op otherwise. */
  void dropValue() {
    if (markSize < 0) return;
    size = markSize;
    if (depth > 0) members[depth - 1] = markMember;
    rootValue = markRootValue;
    afterName = markAfterName;
    markSize = -1;
  }

  /** Keeps the marked value for good. */
  void keepValue() {
    markSize = -1;
  }

  private void literal(byte[] bytes) {
    beforeValue();
    stringPart(bytes);
  }

  private void beforeValue() {
    ensure(1);
    if (depth == 0) {
      if (rootValue) out[size++] = ' ';
      rootValue = true;
    } else if (afterName) {
      out[size++] = ':';
      afterName = false;
    } else {
      if (members[depth - 1]) out[size++] = ',';
      members[depth - 1] = true;
    }
  }

  private void push(boolean object) {
    if (depth == objects.length) {
      objects = Arrays.copyOf(objects, depth * 2);
      members = Arrays.copyOf(members, depth * 2);
    }
    objects[depth] = object;
    members[depth] = false;
    depth++;
  }

  private void put(char c) {
    ensure(1);
    out[size++] = (byte) c;
  }

  /** Encodes {@code text[from, to)}; the caller made room for {@value #MAX_BYTES_PER_CHAR} bytes a char. */
  private void escaped(char[] text, int from, int to) {
    byte[] b = out;
    int p = size;
    for (int i = from; i < to; i++) {
      char c = text[i];
      if (c < 0x80) {
        byte escape = ESCAPES[c];
        if (escape == 0) {
          b[p++] = (byte) c;
        } else if (escape > 0) {
          b[p++] = '\\';
          b[p++] = escape;
        } else {
          p = unicodeEscape(b, p, c);
        }
      } else if (c < 0x800) {
        b[p++] = (byte) (0xc0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      } else if (c >= 0xd800 && c <= 0xdfff) {
        p = unicodeEscape(b, p, c);
      } else {
        b[p++] = (byte) (0xe0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    size = p;
  }

  private static int unicodeEscape(byte[] b, int p, char c) {
    b[p++] = '\\';
    b[p++] = 'u';
    b[p++] = HEX[c >> 12];
    b[p++] = HEX[(c >> 8) & 15];
    b[p++] = HEX[(c >> 4) & 15];
    b[p++] = HEX[c & 15];
    return p;
  }

  private void ensure(int more) {
    if (size + more > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
  }
}
