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
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private String[] names = new String[32];
  private Object[] values = new Object[32];
  private int count;

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
    return add(name, value);
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
      value(values[i], out);
    }
    out.write('}');
  }

  /** Insertion sort: a few dozen members, mostly added in near order; String order is UTF-16 code unit order. */
  private void sortByName() {
    for (int i = 1; i < count; i++) {
      String name = names[i];
      Object value = values[i];
      int j = i - 1;
      while (j >= 0 && names[j].compareTo(name) > 0) {
        names[j + 1] = names[j];
        values[j + 1] = values[j];
        j--;
      }
      names[j + 1] = name;
      values[j + 1] = value;
    }
  }

  private static void value(Object value, ByteSink out) {
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
      CanonicalFields nested = new CanonicalFields();
      map.forEach((k, v) -> nested.putValue(String.valueOf(k), v));
      nested.writeTo(out);
    }
  }


  private static boolean isPlainAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
    }
    return true;
  }

  /**
   * A JSON string as RFC 8785 writes it, in UTF-8. A lone surrogate (a value taken from a request can hold one) is
   * written as U+FFFD: the entry must still be written, and it cannot be UTF-8 otherwise.
   */
  static void string(String s, ByteSink out) {
    out.write('"');
    if (isPlainAscii(s)) {
      // Most values (ids, paths, addresses, codes): no escape, no multi-byte character, one bulk copy.
      out.writeAscii(s);
      out.write('"');
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
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
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
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
    }
    out.write('"');
  }
}
