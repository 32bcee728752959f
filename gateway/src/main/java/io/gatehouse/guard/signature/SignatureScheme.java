package io.gatehouse.guard.signature;

import io.gatehouse.config.Secret;
import io.gatehouse.core.Reason;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One webhook sender's signature scheme (GitHub, Stripe, Slack, Shopify, Standard Webhooks, generic HMAC).
 * Implementations are immutable and shared; per-delivery state lives in the {@link Verification} they start.
 */
public interface SignatureScheme {
  /**
   * Reads the delivery's signature headers and starts a verification, or refuses at once when a header is
   * missing, duplicated or malformed ({@link Reason#SIGNATURE_MISSING}, {@link Reason#SIGNATURE_INVALID}) or the
   * signed timestamp is outside {@code tolerance} of {@code now}, either way ({@link Reason#TIMESTAMP_OUT_OF_TOLERANCE}).
   */
  Start begin(MultiMap headers, HmacKeys keys, Instant now, Duration tolerance);

  /** {@link #begin(MultiMap, HmacKeys, Instant, Duration)} for a one-off check: prepares the keys on each call. */
  default Start begin(MultiMap headers, List<Secret> secrets, Instant now, Duration tolerance) {
    return begin(headers, keys(secrets), now, tolerance);
  }

  /**
   * The configured secrets as this scheme keys its HMACs (their UTF-8 bytes unless the scheme says otherwise),
   * prepared once per config load and shared by every delivery to the entry.
   */
  default HmacKeys keys(List<Secret> secrets) {
    return HmacKeys.utf8(secrets);
  }

  /**
   * The headers a sender of this scheme would add to {@code body}, in the order a sender sends them (for the
   * {@code sign-webhook} command and tests).
   *
   * @param id the delivery id, for schemes that carry one (ignored otherwise)
   * @param timestamp for schemes that sign one
   */
  Map<String, String> sign(byte[] body, Secret secret, String id, Instant timestamp);

  /** The outcome of {@link #begin}. */
  sealed interface Start {
    record Started(Verification verification) implements Start {}

    record Refused(Reason reason, String detail) implements Start {}
  }

  /**
   * One delivery being verified. The body is fed in chunks as it arrives, so a large body never costs one long
   * computation on the event loop. Confined to one event loop; not thread-safe.
   */
  interface Verification {
    void update(io.vertx.core.buffer.Buffer chunk);

    /** True when the body matches a signature under any configured secret; constant-time comparisons only. */
    boolean verify();

    /**
     * What identifies this delivery for replay protection: the sender's delivery id where the scheme has one,
     * else the signature itself. Only meaningful after {@link #verify()} returned true.
     */
    String replayKey();
  }
}
