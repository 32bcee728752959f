package io.gatehouse.audit.canonical;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One JSON object written straight to its RFC 8785 canonical bytes: members sorted by name, strings escaped as
 * {@link CanonicalJson} does, whole numbers only, absent (null) values left out. The writer builds every audit entry
 * through it, tens of thousands a second, so it writes UTF-8 bytes directly instead of going through a tree and a
 * string as {@link CanonicalJson} does; {@code CanonicalFieldsTest} holds the two to the same output.
 *
 * <p>Reusable and not thread-safe: {@link #reset()} between objects. Values are strings, whole numbers, booleans,
 * lists of strings, and nested maps of those (small: config changes, a recovered tail).
 */
public final class CanonicalFields {
  /** A string value longer than this (in chars) is cut and marked, so one entry stays far below 64 KiB. */
  public static final int MAX_STRING = 4096;
  static final String CUT_MARK = "…[cut]";
  private static final Object NUMBER = new Object();
  private static final int SHAPES = 8;
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private String[] names = new String[32];
  private Object[] values = new Object[32];
  /** A whole number's value, where {@code values} holds {@link #NUMBER}: no box per number. */
  private long[] numbers = new long[32];
  private int count;
  /**
   * The names of the last few objects sorted, in the order they were added, and where each went: the writer encodes
   * a few kinds of entry (signed in or not, refused or not) with the same members each, so the sort is usually a
   * lookup. Names are compared by reference, so a hit is certain to be the same order; a miss only sorts.
   */
  private final String[][] shapes = new String[SHAPES][];
  private final int[][] orders = new int[SHAPES][];
  private int nextShape;
  private int[] order;
  private String[] sortedNames = new String[32];
  private Object[] sortedValues = new Object[32];
  private long[] sortedNumbers = new long[32];
  /** A string's chars, copied in one go: reading them one {@code charAt} at a time costs a bounds check each. */
  private char[] chars = new char[256];
  /** Writes this object's nested maps; made at the first, then reused (each depth has its own). */
  private CanonicalFields nested;

  public CanonicalFields reset() {
    Arrays.fill(values, 0, count, null);
    count = 0;
    return this;
  }

  public CanonicalFields put(String name, String value) {
    return value == null ? this : add(name, value);
  }

  public CanonicalFields put(String name, long value) {
    if (Math.abs(value) > CanonicalJson.MAX_SAFE_INTEGER) throw new IllegalArgumentException(name + " is out of range");
    add(name, NUMBER);
    numbers[count - 1] = value;
    return this;
  }

  public CanonicalFields put(String name, boolean value) {
    return add(name, value);
  }

  /** A list of strings, or a nested object ({@code Map<String, ?>} of the value types above); null is left out. */
  public CanonicalFields putValue(String name, Object value) {
    if (value == null) return this;
    if (value instanceof Integer i) return put(name, i.longValue());
    if (!(value instanceof String || value instanceof Long || value instanceof Boolean || value instanceof List<?>
        || value instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(name + ": an audit entry holds strings, numbers, booleans, lists and maps");
    }
    if (value instanceof Long l) return put(name, l);
    return add(name, value);
  }

  private CanonicalFields add(String name, Object value) {
    if (count == names.length) {
      names = Arrays.copyOf(names, count * 2);
      values = Arrays.copyOf(values, count * 2);
      numbers = Arrays.copyOf(numbers, count * 2);
      sortedNames = new String[count * 2];
      sortedValues = new Object[count * 2];
      sortedNumbers = new long[count * 2];
    }
    names[count] = name;
    values[count] = value;
    count++;
    return this;
  }

  /** Appends the object's canonical bytes to {@code out}. Two members of one name are a bug and throw. */
  public void writeTo(ByteSink out) {
    sortByName();
    out.write('{');
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        if (names[i].equals(names[i - 1])) throw new IllegalStateException("two members named " + names[i]);
        out.write(',');
      }
      string(names[i], out);
      out.write(':');
      if (values[i] == NUMBER) out.writeDecimal(numbers[i]);
      else value(values[i], out);
    }
    out.write('}');
  }

  private void sortByName() {
    if (!knownShape()) rememberOrder();
    for (int i = 0; i < count; i++) {
      sortedNames[i] = names[order[i]];
      sortedValues[i] = values[order[i]];
      sortedNumbers[i] = numbers[order[i]];
    }
    String[] n = names;
    names = sortedNames;
    sortedNames = n;
    Object[] v = values;
    values = sortedValues;
    sortedValues = v;
    long[] l = numbers;
    numbers = sortedNumbers;
    sortedNumbers = l;
    Arrays.fill(sortedValues, 0, count, null);
  }

  private boolean knownShape() {
    for (int s = 0; s < SHAPES; s++) {
      String[] shape = shapes[s];
      if (shape == null || shape.length != count) continue;
      int i = 0;
      while (i < count && names[i] == shape[i]) i++;
      if (i == count) {
        order = orders[s];
        return true;
      }
    }
    return false;
  }

  /** Insertion sort of the positions: a few dozen members; String order is UTF-16 code unit order. */
  private void rememberOrder() {
    order = new int[count];
    for (int i = 0; i < count; i++) {
      int j = i - 1;
      while (j >= 0 && names[order[j]].compareTo(names[i]) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = i;
    }
    shapes[nextShape] = Arrays.copyOf(names, count);
    orders[nextShape] = order;
    nextShape = (nextShape + 1) % SHAPES;
  }

  private void value(Object value, ByteSink out) {
    if (value instanceof String s) {
      string(s.length() > MAX_STRING ? s.substring(0, MAX_STRING) + CUT_MARK : s, out);
    } else if (value instanceof Long l) {
      out.writeAscii(Long.toString(l));
    } else if (value instanceof Boolean b) {
      out.writeAscii(b ? "true" : "false");
    } else if (value instanceof List<?> list) {
      out.write('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) out.write(',');
        value(String.valueOf(list.get(i)), out);
      }
      out.write(']');
    } else if (value instanceof Map<?, ?> map) {
      if (nested == null) nested = new CanonicalFields();
      CanonicalFields child = nested.reset();
      map.forEach((k, v) -> child.putValue(String.valueOf(k), v));
      child.writeTo(out);
      child.reset();
    }
  }


  /**
   * A JSON string as RFC 8785 writes it, in UTF-8. A lone surrogate (a value taken from a request can hold one) is
   * written as U+FFFD: the entry must still be written, and it cannot be UTF-8 otherwise.
   */
  void string(String s, ByteSink out) {
    out.write('"');
    int n = s.length();
    if (n > chars.length) chars = new char[Math.max(n, chars.length * 2)];
    s.getChars(0, n, chars, 0);
    int i = 0;
    while (i < n) {
      // Most values (ids, paths, addresses, codes) are printable ASCII, and so is most of a captured JSON body:
      // copied byte for char, a run at a time, its quotes and backslashes escaped in the same loop (a JSON body has
      // one every few characters). Room for the worst case, every char escaped, is reserved first.
      int at = out.reserve(2 * (n - i));
      byte[] buf = out.array();
      int p = at;
      for (; i < n; i++) {
        char c = chars[i];
        if (c < 0x20 || c >= 0x7f) break;
        if (c == '"' || c == '\\') buf[p++] = '\\';
        buf[p++] = (byte) c;
      }
      out.commit(p - at);
      if (i < n) i = escape(i, n, out);
    }
    out.write('"');
  }

  /** Writes the char at {@code i} (with its low surrogate, when it is a pair's high one); returns the next index. */
  private int escape(int i, int n, ByteSink out) {
    char c = chars[i];
    if (c < 0x80) {
      switch (c) {
        case '"' -> { out.write('\\'); out.write('"'); }
        case '\\' -> { out.write('\\'); out.write('\\'); }
        case '\b' -> { out.write('\\'); out.write('b'); }
        case '\t' -> { out.write('\\'); out.write('t'); }
        case '\n' -> { out.write('\\'); out.write('n'); }
        case '\f' -> { out.write('\\'); out.write('f'); }
        case '\r' -> { out.write('\\'); out.write('r'); }
        default -> {
          if (c < 0x20) {
            out.write('\\'); out.write('u'); out.write('0'); out.write('0');
            out.write(HEX[c >> 4]); out.write(HEX[c & 15]);
          } else {
            out.write(c);
          }
        }
      }
    } else if (c < 0x800) {
      out.write(0xc0 | (c >> 6));
      out.write(0x80 | (c & 0x3f));
    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(chars[i + 1])) {
      int cp = Character.toCodePoint(c, chars[++i]);
      out.write(0xf0 | (cp >> 18));
      out.write(0x80 | ((cp >> 12) & 0x3f));
      out.write(0x80 | ((cp >> 6) & 0x3f));
      out.write(0x80 | (cp & 0x3f));
    } else {
      char ch = Character.isSurrogate(c) ? '\ufffd' : c;
      out.write(0xe0 | (ch >> 12));
      out.write(0x80 | ((ch >> 6) & 0x3f));
      out.write(0x80 | (ch & 0x3f));
    }
    return i + 1;
  }
}
