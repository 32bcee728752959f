package io.gatehouse.audit.scrub.body;

/**
 * Scrubs one body of one kind as its bytes arrive. The caller hands it at most {@code max_payload} bytes in all and
 * says at the end whether more followed. Not thread-safe: one per body.
 */
public interface BodyScrubber {
  /** Takes the next bytes of the body; they are not kept past this call unless the kind needs the whole body. */
  void write(byte[] bytes, int offset, int length);

  /** The scrubbed body; {@code cut} when bytes past {@code max_payload} were not handed over. */
  Outcome finish(boolean cut);

  /** The scrubbed text, and whether the body stopped parsing as its kind before its end. */
  record Outcome(String scrubbed, boolean malformed) {}
}
