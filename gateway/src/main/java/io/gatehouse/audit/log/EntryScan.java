package io.gatehouse.audit.log;

import java.nio.charset.StandardCharsets;

/**
 * Finds an entry line's top-level {@code seq}, {@code prev}, {@code kind} and {@code time} without building a JSON
 * tree: {@code verify-log} reads a million entries a second, and a full parse would cost more than hashing them.
 * Strings are skipped by their quotes and escapes and nested values by their brackets, so a value that contains
 * {@code "seq":} is never mistaken for the field. Reusable; not thread-safe.
 */
public final class EntryScan {
  private static final byte[] SEQ = ascii("seq");
  private static final byte[] PREV = ascii("prev");
  private static final byte[] KIND = ascii("kind");
  private static final byte[] TIME = ascii("time");

  private byte[] line;
  private long seq;
  private boolean hasSeq;
  private int prevStart = -1;
  private int prevEnd;
  private int kindStart = -1;
  private int kindEnd;
  private int timeStart = -1;
  private int timeEnd;

  /**
   * Scans {@code line[offset, offset + length)}.
   *
   * @return whether it is one JSON object with a whole-number {@code seq} (an entry line)
   */
  public boolean scan(byte[] b, int offset, int length) {
    line = b;
    hasSeq = false;
    prevStart = kindStart = timeStart = -1;
    int end = offset + length;
    if (length < 2 || b[offset] != '{' || b[end - 1] != '}') return false;
    int close = end - 1;
    int i = offset + 1;
    if (i == close) return false;
    while (true) {
      if (b[i] != '"') return false;
      int keyStart = i + 1;
      int keyEnd = closingQuote(b, keyStart, close);
      if (keyEnd < 0) return false;
      i = keyEnd + 1;
      if (i >= close || b[i] != ':') return false;
      int valueStart = ++i;
      i = skipValue(b, i, close);
      if (i < 0) return false;
      // Only the names of three and four letters are read; the others are skipped unexamined.
      int keyLength = keyEnd - keyStart;
      if ((keyLength == 3 || keyLength == 4) && !field(b, keyStart, keyEnd, valueStart, i)) return false;
      if (i == close) break;
      if (b[i] != ',') return false;
      i++;
    }
    return hasSeq;
  }

  private boolean field(byte[] b, int keyStart, int keyEnd, int valueStart, int valueEnd) {
    byte first = b[keyStart];
    if (first == 's' && is(b, keyStart, keyEnd, SEQ)) {
      if (valueEnd - valueStart < 1 || valueEnd - valueStart > 16) return false;
      long n = 0;
      for (int j = valueStart; j < valueEnd; j++) {
        if (b[j] < '0' || b[j] > '9') return false;
        n = n * 10 + (b[j] - '0');
      }
      if (valueEnd - valueStart > 1 && b[valueStart] == '0') return false;
      seq = n;
      hasSeq = true;
    } else if (first == 'p' && is(b, keyStart, keyEnd, PREV) && isString(b, valueStart, valueEnd)) {
      prevStart = valueStart + 1;
      prevEnd = valueEnd - 1;
    } else if (first == 'k' && is(b, keyStart, keyEnd, KIND) && isString(b, valueStart, valueEnd)) {
      kindStart = valueStart + 1;
      kindEnd = valueEnd - 1;
    } else if (first == 't' && is(b, keyStart, keyEnd, TIME) && isString(b, valueStart, valueEnd)) {
      timeStart = valueStart + 1;
      timeEnd = valueEnd - 1;
    }
    return true;
  }

  public long seq() {
    return seq;
  }

  /** The {@code prev} field's text (base64), or null without one. */
  public String prev() {
    return prevStart < 0 ? null : new String(line, prevStart, prevEnd - prevStart, StandardCharsets.US_ASCII);
  }

  /** Whether the {@code prev} field is the base64 text {@code expected}, compared without decoding. */
  public boolean prevEquals(byte[] expectedBase64) {
    if (prevStart < 0 || prevEnd - prevStart != expectedBase64.length) return false;
    for (int j = 0; j < expectedBase64.length; j++) if (line[prevStart + j] != expectedBase64[j]) return false;
    return true;
  }

  public String kind() {
    return kindStart < 0 ? null : new String(line, kindStart, kindEnd - kindStart, StandardCharsets.UTF_8);
  }

  public String time() {
    return timeStart < 0 ? null : new String(line, timeStart, timeEnd - timeStart, StandardCharsets.US_ASCII);
  }

  private static boolean isString(byte[] b, int start, int end) {
    return end - start >= 2 && b[start] == '"' && b[end - 1] == '"';
  }

  private static boolean is(byte[] b, int start, int end, byte[] name) {
    if (end - start != name.length) return false;
    for (int j = 0; j < name.length; j++) if (b[start + j] != name[j]) return false;
    return true;
  }

  /**
   * The index of the quote that ends the name starting at {@code i}, or -1. Byte by byte: names are a few letters,
   * shorter than {@link ByteSearch}'s words pay off for.
   */
  private static int closingQuote(byte[] b, int i, int end) {
    for (; i < end; i++) {
      byte c = b[i];
      if (c == '"') return i;
      if (c == '\\') i++;
    }
    return -1;
  }

  /** The index after the string that starts at {@code i} (a quote), or -1 when it does not end. */
  private static int skipString(byte[] b, int i, int end) {
    for (i++; i < end; ) {
      int at = ByteSearch.quoteOrBackslash(b, i, end);
      if (at < 0) return -1;
      if (b[at] == '"') return at + 1;
      i = at + 2; // past the escaped byte
    }
    return -1;
  }

  /** The index after the value at {@code i}: before the {@code ,} or {@code }} that follows it; -1 when malformed. */
  private static int skipValue(byte[] b, int i, int end) {
    if (i >= end) return -1;
    if (b[i] == '"') return skipString(b, i, end);
    if (b[i] == '{' || b[i] == '[') {
      int depth = 0;
      for (; i < end; i++) {
        byte c = b[i];
        if (c == '"') {
          i = skipString(b, i, end);
          if (i < 0) return -1;
          i--;
        } else if (c == '{' || c == '[') {
          depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
          return i + 1;
        }
      }
      return -1;
    }
    int start = i;
    while (i < end && b[i] != ',' && b[i] != '}') i++;
    return i > start ? i : -1;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
