package io.gatehouse.audit.scrub.body;

import io.gatehouse.audit.scrub.text.ScanState;
import io.gatehouse.audit.scrub.text.Spans;
import io.gatehouse.audit.scrub.text.TextScanner;

/**
 * Runs the text scanner over one value (a JSON string or number, a form value, a field name) and builds its
 * scrubbed text only when something was found, counting each redaction. Not thread-safe: one per body.
 */
final class ValueScrubber {
  private final TextScanner scanner;
  private final TypeCounts counts;
  private final ScanState state;
  private final Spans spans;
  private final StringBuilder out;

  ValueScrubber(TextScanner scanner, TypeCounts counts, ScratchBuffers buffers) {
    this.scanner = scanner;
    this.counts = counts;
    this.state = buffers.state;
    this.spans = buffers.spans;
    this.out = buffers.text;
  }

  /**
   * The redactions in the value, counted, or null when there are none; the spans are reused by the next call, so
   * the caller writes them out first.
   */
  Spans find(char[] text, int offset, int length, int hints, boolean findNames) {
    spans.clear();
    scanner.scan(text, offset, offset + length, hints, findNames, state, spans);
    if (spans.count() == 0) return null;
    for (int i = 0; i < spans.count(); i++) counts.add(spans.type(i));
    return spans;
  }

  /** The value with its PHI replaced, or null when there is none. */
  String scrub(char[] text, int offset, int length, int hints, boolean findNames) {
    if (find(text, offset, length, hints, findNames) == null) return null;
    out.setLength(0);
    spans.apply(text, offset, offset + length, out);
    return out.toString();
  }

  String scrub(String text, int hints, boolean findNames) {
    char[] chars = text.toCharArray();
    return scrub(chars, 0, chars.length, hints, findNames);
  }
}
