package io.gatehouse.audit.scrub.body;

import io.gatehouse.audit.scrub.text.ScanState;
import io.gatehouse.audit.scrub.text.Spans;

/**
 * The buffers scrubbing one body grows (the JSON output, the scanner's state and spans, a scrubbed value's text),
 * lent by a {@link ScratchPool} and handed back when the body is done, so the next body on that thread starts
 * with them grown instead of growing its own. Owned by one body at a time; not thread-safe.
 */
public final class ScratchBuffers {
  /** Buffers grown past this (a body near a large {@code max_payload}) are dropped rather than kept. */
  static final int MAX_KEPT = 256 * 1024;

  final ScanState state = new ScanState();
  final Spans spans = new Spans();
  final StringBuilder text = new StringBuilder();
  private JsonWriter json;

  /** The JSON writer, empty. */
  JsonWriter json() {
    if (json == null) {
      json = new JsonWriter(4096);
    } else {
      json.reset();
    }
    return json;
  }

  /** Whether these buffers are small enough to keep for another body. */
  boolean worthKeeping() {
    return text.capacity() <= MAX_KEPT && (json == null || json.capacity() <= MAX_KEPT);
  }
}
