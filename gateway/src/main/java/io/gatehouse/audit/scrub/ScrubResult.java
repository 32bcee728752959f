package io.gatehouse.audit.scrub;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * What may be logged of one body: the scrubbed text (empty for {@link BodyKind#OMITTED}), the number of
 * redactions per type, the size the body had, whether it was cut at {@code max_payload} ({@code truncated}: only
 * the scrubbed prefix is kept) or stopped parsing as its type ({@code malformed}: what parsed is kept, the rest is
 * dropped), and the keyed HMAC-SHA256 of every raw byte, which matches two deliveries of the same body without
 * storing either (a plain hash of a short body could be guessed back).
 *
 * @param counts an immutable map (kept as it is: {@link Map#copyOf} returns one such unchanged)
 */
public record ScrubResult(BodyKind kind, String contentType, String scrubbedText, Map<PhiType, Integer> counts,
    long originalSize, boolean truncated, boolean malformed, byte[] hmac) {

  public ScrubResult {
    counts = Map.copyOf(counts);
    hmac = hmac.clone();
  }

  /** The scrubbed body as UTF-8 bytes. */
  public byte[] scrubbed() {
    return scrubbedText.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] hmac() {
    return hmac.clone();
  }

  /** The HMAC in lower-case hex, as the audit entry carries it. */
  public String hmacHex() {
    return HexFormat.of().formatHex(hmac);
  }

  /** Redactions of {@code type}. */
  public int count(PhiType type) {
    return counts.getOrDefault(type, 0);
  }

  /** All redactions. */
  public int redactions() {
    int sum = 0;
    for (int count : counts.values()) sum += count;
    return sum;
  }
}
