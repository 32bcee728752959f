package io.gatehouse.audit.syslog;

import java.nio.charset.StandardCharsets;

/**
 * The few top-level members of an entry line that the syslog header needs ({@code time}, {@code decision},
 * {@code event}), found in one pass over the bytes instead of parsing the entry into objects on the audit log's
 * writer thread. Only members of the outer object count: a nested object's {@code time}, or text that looks like a
 * member inside a string value, is skipped. A value is kept raw (JSON escapes not decoded) and only when it is a
 * string; the formatter checks it before use, so a malformed line costs a default, never a wrong header.
 *
 * @param time the raw {@code time} string, or null
 * @param decision the raw {@code decision} string, or null
 * @param event the raw {@code event} string, or null
 */
record EntryFields(String time, String decision, String event) {
  private static final byte[] TIME = bytes("time");
  private static final byte[] DECISION = bytes("decision");
  private static final byte[] EVENT = bytes("event");

  static EntryFields of(byte[] line) {
    String time = null;
    String decision = null;
    String event = null;
    int depth = 0;
    boolean expectKey = false;
    for (int i = 0; i < line.length; i++) {
      byte b = line[i];
      if (b == '"') {
        int end = stringEnd(line, i);
        if (end < 0) break;
        if (depth == 1 && expectKey && end + 2 < line.length && line[end + 1] == ':' && line[end + 2] == '"') {
          int valueEnd = stringEnd(line, end + 2);
          if (valueEnd < 0) break;
          String value = new String(line, end + 3, valueEnd - end - 3, StandardCharsets.ISO_8859_1);
          if (is(line, i + 1, end, TIME)) time = value;
          else if (is(line, i + 1, end, DECISION)) decision = value;
          else if (is(line, i + 1, end, EVENT)) event = value;
          end = valueEnd;
        }
        expectKey = false;
        i = end;
      } else if (b == '{' || b == '[') {
        depth++;
        expectKey = b == '{' && depth == 1;
      } else if (b == '}' || b == ']') {
        depth--;
      } else if (b == ',' && depth == 1) {
        expectKey = true;
      }
    }
    return new EntryFields(time, decision, event);
  }

  /** The index of the quote that closes the string opened at {@code open}, or -1 when the line ends first. */
  private static int stringEnd(byte[] line, int open) {
    for (int i = open + 1; i < line.length; i++) {
      if (line[i] == '\\') i++;
      else if (line[i] == '"') return i;
    }
    return -1;
  }

  private static boolean is(byte[] line, int from, int to, byte[] name) {
    if (to - from != name.length) return false;
    for (int i = 0; i < name.length; i++) {
      if (line[from + i] != name[i]) return false;
    }
    return true;
  }

  private static byte[] bytes(String ascii) {
    return ascii.getBytes(StandardCharsets.US_ASCII);
  }
}
