package io.gatehouse.guard.signature;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reads the few headers a signature depends on, strictly: each must appear exactly once, so there is never a
 * question of which copy was signed and which one a later hop reads.
 */
final class DeliveryHeaders {
  /** Far above any sender's real header (Stripe's with a dozen signatures is under 1 KiB), far below a DoS. */
  static final int MAX_VALUE_CHARS = 4096;
  /** Delivery ids become replay-store keys; real ones are UUIDs or 30-odd characters. */
  static final int MAX_ID_CHARS = 256;
  /** 12 digits reach the year 33658; more is not a unix time in seconds (and might overflow arithmetic). */
  private static final int MAX_TIMESTAMP_DIGITS = 12;

  private DeliveryHeaders() {}

  /**
   * The header's one value, trimmed. Absent: {@code signature_missing} when {@code isSignature} (the delivery is
   * unsigned), else {@code signature_invalid} (signed, but something it depends on is gone).
   */
  static String single(MultiMap headers, String name, boolean isSignature) throws SignatureRefusal {
    List<String> values = headers.getAll(name);
    if (values.isEmpty()) {
      throw isSignature ? SignatureRefusal.missing("no " + name + " header")
          : SignatureRefusal.invalid("no " + name + " header");
    }
    if (values.size() > 1) throw SignatureRefusal.invalid("duplicated " + name + " header");
    String value = values.get(0);
    if (value.length() > MAX_VALUE_CHARS) throw SignatureRefusal.invalid(name + " header too long");
    value = value.strip();
    if (value.isEmpty()) throw SignatureRefusal.invalid("empty " + name + " header");
    return value;
  }

  /** A delivery id: one value, bounded, visible ASCII only (it ends up as a key in the replay store). */
  static String id(MultiMap headers, String name) throws SignatureRefusal {
    String id = single(headers, name, false);
    if (id.length() > MAX_ID_CHARS) throw SignatureRefusal.invalid(name + " header too long");
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= 0x20 || c >= 0x7f) throw SignatureRefusal.invalid(name + " header malformed");
    }
    return id;
  }

  /** Unix seconds written as plain ASCII digits (no sign, no fraction, no exponent). */
  static long timestamp(String text, String what) throws SignatureRefusal {
    if (text.isEmpty() || text.length() > MAX_TIMESTAMP_DIGITS) throw SignatureRefusal.invalid(what + " malformed");
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') throw SignatureRefusal.invalid(what + " malformed");
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * Refuses a signed time further than {@code tolerance} from {@code now} either way: too old is a replay, too new
   * is a delivery prepared in advance (or a sender clock so wrong it cannot be trusted). Exactly at the limit passes.
   */
  static void checkTolerance(long epochSeconds, Instant now, Duration tolerance) throws SignatureRefusal {
    Duration skew = Duration.between(Instant.ofEpochSecond(epochSeconds), now).abs();
    if (skew.compareTo(tolerance) > 0) throw SignatureRefusal.outOfTolerance("timestamp outside tolerance");
  }
}
