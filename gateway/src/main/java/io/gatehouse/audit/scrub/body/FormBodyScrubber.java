package io.gatehouse.audit.scrub.body;

import io.gatehouse.audit.scrub.field.FieldNameMatcher;
import io.gatehouse.audit.scrub.field.FieldVerdict;
import io.gatehouse.audit.scrub.text.TextScanner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Scrubs {@code application/x-www-form-urlencoded} bodies pair by pair once the body has ended: the decoded name
 * decides (as a JSON field's would, {@code patient[dob]} and {@code patient.dob} included), the decoded value is
 * redacted or scanned, and both are written back percent-encoded but for the characters a marker needs, so
 * {@code ssn=[REDACTED:SSN]} stays readable. A body cut at {@code max_payload} loses its last, partial pair.
 */
public final class FormBodyScrubber implements BodyScrubber {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final FieldNameMatcher fields;
  private final TypeCounts counts;
  private final ValueScrubber values;
  private final BufferedBody body = new BufferedBody();

  public FormBodyScrubber(FieldNameMatcher fields, TextScanner scanner, TypeCounts counts) {
    this.fields = fields;
    this.counts = counts;
    this.values = new ValueScrubber(scanner, counts, new ScratchBuffers());
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    body.write(bytes, offset, length);
  }

  @Override
  public Outcome finish(boolean cut) {
    byte[] b = body.array();
    int size = body.size();
    if (cut) {
      int last = size - 1;
      while (last >= 0 && b[last] != '&') last--;
      size = Math.max(last, 0);
    }
    StringBuilder out = new StringBuilder(size + 32);
    int start = 0;
    while (start < size) {
      int end = start;
      while (end < size && b[end] != '&') end++;
      if (end > start) {
        if (out.length() > 0) out.append('&');
        pair(b, start, end, out);
      }
      start = end + 1;
    }
    return new Outcome(out.toString(), false);
  }

  private void pair(byte[] b, int start, int end, StringBuilder out) {
    int eq = start;
    while (eq < end && b[eq] != '=') eq++;
    String name = decode(b, start, eq);
    String scrubbedName = values.scrub(name, 0, false);
    encode(scrubbedName != null ? scrubbedName : name, out);
    if (eq == end) return;
    out.append('=');
    String value = decode(b, eq + 1, end);
    FieldVerdict verdict = fields.classify(name);
    switch (verdict.action()) {
      case REDACT -> {
        counts.add(verdict.type());
        out.append(verdict.type().marker());
      }
      case ALLOW -> encode(value, out);
      case SCAN -> {
        String scrubbed = values.scrub(value, verdict.cueBits(), true);
        encode(scrubbed != null ? scrubbed : value, out);
      }
    }
  }

  /** Percent-decoding as browsers encode forms ({@code +} is a space); a malformed escape is kept as it is. */
  static String decode(byte[] b, int start, int end) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
    for (int i = start; i < end; i++) {
      byte c = b[i];
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%' && i + 2 < end && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
        bytes.write(hex(b[i + 1]) * 16 + hex(b[i + 2]));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte c) {
    return Character.digit(c, 16);
  }

  /** Escapes what would change how the pair parses, spaces, controls and non-ASCII; keeps {@code [ ] :}. */
  static void encode(String s, StringBuilder out) {
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      int u = c & 0xff;
      if (u == ' ') {
        out.append('+');
      } else if (u < 0x21 || u >= 0x7f || u == '%' || u == '&' || u == '=' || u == '+' || u == '#') {
        out.append('%').append(HEX[u >> 4]).append(HEX[u & 15]);
      } else {
        out.append((char) u);
      }
    }
  }
}
