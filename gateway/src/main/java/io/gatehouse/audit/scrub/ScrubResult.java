package io.gatehouse.audit.scrub;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * What may be logged of one body: the scrubbed bytes (UTF-8; empty for {@link BodyKind#OMITTED}), the number of
 * redactions per type, the size the body had, whether it was cut at {@code max_payload} ({@code truncated}: only
 * the scrubbed prefix is kept) or stopped parsing as its type ({@code malformed}: what parsed is kept, the rest is
 * dropped), and the keyed HMAC-SHA256 of every raw byte, which matches two deliveries of the same body without
 * storing either (a plain hash of a short body could be guessed back).
 */
public record ScrubResult(BodyKind kind, String contentType, byte[] scrubbed, Map<PhiType, Integer> counts,
    long originalSize, boolean truncated, boolean malformed, byte[] hmac) {

  public ScrubResult {
    scrubbed = scrubbed.clone();
    counts = Map.copyOf(counts);
    hmac = hmac.clone();
  }

  @Override
  public byte[] scrubbed() {
    return scrubbed.clone();
  }

  @Override
  public byte[] hmac() {
    return hmac.clone();
  }

  /** The scrubbed body as text. */
  public String scrubbedText() {
    return new String(scrubbed, StandardCharsets.UTF_8);
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
