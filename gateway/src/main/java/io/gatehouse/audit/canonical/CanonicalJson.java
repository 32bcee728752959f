package io.gatehouse.audit.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one encoding of an audit entry: RFC 8785 (JCS) for the JSON an entry can hold, so the bytes hashed into the
 * Merkle tree are the bytes on disk and anyone can rebuild them. Object members sorted by their names' UTF-16 code
 * units, no whitespace, strings with only JCS's escapes (quote, backslash, and control characters as the short
 * escapes b, t, n, f, r or a u escape with four lower-case hex digits), UTF-8.
 *
 * <p>Numbers are whole, within ±(2^53 − 1) (I-JSON's exact range), and written as integers: an entry has counts,
 * sizes, times in milliseconds and sequence numbers, never fractions, and JCS's fraction form (ECMAScript's
 * shortest round trip) is one that Java 17's {@code Double.toString} does not always produce. A fraction, an
 * out-of-range number or a lone surrogate is refused, never written some other way.
 */
public final class CanonicalJson {
  /** 2^53 − 1, the largest integer an IEEE double holds exactly. */
  static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private CanonicalJson() {}

  /** The canonical bytes; throws {@link IllegalArgumentException} for what an entry cannot hold. */
  public static byte[] encode(JsonNode value) {
    StringBuilder text = new StringBuilder(256);
    write(value, text);
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode value, StringBuilder out) {
    switch (value.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) members.add(it.next());
        // String.compareTo orders by UTF-16 code units, as RFC 8785 §3.2.3 asks.
        members.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
          if (i > 0) out.append(',');
          string(members.get(i).getKey(), out);
          out.append(':');
          write(members.get(i).getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < value.size(); i++) {
          if (i > 0) out.append(',');
          write(value.get(i), out);
        }
        out.append(']');
      }
      case STRING -> string(value.textValue(), out);
      case NUMBER -> out.append(integer(value));
      case BOOLEAN -> out.append(value.booleanValue() ? "true" : "false");
      case NULL -> out.append("null");
      default -> throw new IllegalArgumentException("an audit entry holds JSON values only, not " + value.getNodeType());
    }
  }

  private static long integer(JsonNode number) {
    if (number.isIntegralNumber()) {
      if (number.canConvertToLong() && Math.abs(number.longValue()) <= MAX_SAFE_INTEGER) return number.longValue();
    } else {
      double d = number.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) return (long) d;
    }
    throw new IllegalArgumentException("an audit entry's numbers are whole and within ±(2^53 - 1)");
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
        continue;
      }
      if (Character.isSurrogate(c)) throw new IllegalArgumentException("a string with a lone surrogate is not text");
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
          else out.append(c);
        }
      }
    }
    out.append('"');
  }
}
