package io.gatehouse.audit.scrub;

import java.util.List;

/**
 * What a {@link Scrubber} does, from {@code audit.scrub}: operator keys always redacted ({@code keys}), keys kept
 * as sent ({@code allowKeys}), the most of a body read ({@code maxPayload} bytes; the rest is counted and put
 * through the HMAC, never scrubbed or kept), and the key of the HMAC that identifies a body without revealing it.
 * Immutable: the key is copied in and out, and {@link #toString()} never shows it.
 */
public record ScrubPolicy(List<String> keys, List<String> allowKeys, int maxPayload, byte[] hmacKey) {
  /** {@code audit.scrub.max_payload}'s default: 64 KiB. */
  public static final int DEFAULT_MAX_PAYLOAD = 64 * 1024;
  /** An HMAC key shorter than this could be guessed; HMAC-SHA256 wants 32 bytes of entropy. */
  public static final int MIN_KEY_BYTES = 16;

  public ScrubPolicy {
    keys = List.copyOf(keys);
    allowKeys = List.copyOf(allowKeys);
    if (maxPayload < 0) throw new IllegalArgumentException("maxPayload must not be negative: " + maxPayload);
    if (hmacKey == null || hmacKey.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("the HMAC key must have at least " + MIN_KEY_BYTES + " bytes");
    }
    hmacKey = hmacKey.clone();
  }

  @Override
  public byte[] hmacKey() {
    return hmacKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScrubPolicy p && keys.equals(p.keys) && allowKeys.equals(p.allowKeys)
        && maxPayload == p.maxPayload && java.security.MessageDigest.isEqual(hmacKey, p.hmacKey);
  }

  @Override
  public int hashCode() {
    return (keys.hashCode() * 31 + allowKeys.hashCode()) * 31 + maxPayload;
  }

  @Override
  public String toString() {
    return "ScrubPolicy[keys=" + keys + ", allowKeys=" + allowKeys + ", maxPayload=" + maxPayload + "]";
  }
}
