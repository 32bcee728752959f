package io.gatehouse.guard.signature;

import io.gatehouse.config.Secret;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stripe: {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=<hex>]}, each {@code v1} an HMAC-SHA256 of
 * {@code "<t>.<body>"} keyed with the endpoint's signing secret ({@code whsec_…}, used as its UTF-8 bytes as
 * Stripe's libraries do). Only {@code v1} counts: {@code v0} is Stripe's test-mode scheme and other keys are
 * ignored, as Stripe asks. Several {@code v1} appear while a secret is being rolled; any may match. {@code t} must
 * be within the tolerance of now, either way.
 *
 * <p>Replay key: {@code t} plus the matching signature. Stripe's delivery id is the event id inside the JSON body,
 * and the gateway does not parse bodies (it forwards them byte for byte); {@code t} and the signature are both
 * covered by the HMAC, so an attacker cannot vary them to get a fresh key for an old delivery. Stripe's own
 * retries carry a new {@code t}, so they are not mistaken for replays.
 *
 * @see <a href="https://docs.stripe.com/webhooks#verify-manually">Stripe: verify signatures manually</a>
 */
public final class StripeSignatureScheme implements SignatureScheme {
  static final String SIGNATURE = "Stripe-Signature";
  /** A rolled secret adds one v1; a dozen is already unusual, more is noise to compare against every secret. */
  private static final int MAX_SIGNATURES = 16;

  @Override public Start begin(MultiMap headers, HmacKeys keys, Instant now, Duration tolerance) {
    try {
      String value = DeliveryHeaders.single(headers, SIGNATURE, true);
      String timestamp = null;
      List<byte[]> signatures = new ArrayList<>();
      for (String element : value.split(",", -1)) {
        int eq = element.indexOf('=');
        if (eq <= 0) throw SignatureRefusal.invalid(SIGNATURE + " malformed");
        String key = element.substring(0, eq).strip();
        String text = element.substring(eq + 1).strip();
        if (key.equals("t")) {
          if (timestamp != null) throw SignatureRefusal.invalid(SIGNATURE + " has more than one t");
          timestamp = text;
        } else if (key.equals("v1")) {
          if (signatures.size() == MAX_SIGNATURES) throw SignatureRefusal.invalid(SIGNATURE + " has too many v1");
          signatures.add(DigestText.fromHex(text, SIGNATURE + " v1"));
        }
      }
      if (timestamp == null) throw SignatureRefusal.invalid(SIGNATURE + " has no t");
      if (signatures.isEmpty()) throw SignatureRefusal.invalid("no v1 signature");
      long t = DeliveryHeaders.timestamp(timestamp, SIGNATURE + " t");
      DeliveryHeaders.checkTolerance(t, now, tolerance);
      byte[] prefix = (t + ".").getBytes(StandardCharsets.US_ASCII);
      return HmacVerification.start(keys, prefix, signatures,
          digest -> "t=" + t + ",v1=" + DigestText.hex(digest));
    } catch (SignatureRefusal refusal) {
      return refusal.toStart();
    }
  }

  @Override public Map<String, String> sign(byte[] body, Secret secret, String id, Instant timestamp) {
    long t = timestamp.getEpochSecond();
    byte[] digest = HmacSha256.of(secret.bytes(), (t + ".").getBytes(StandardCharsets.US_ASCII), body);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(SIGNATURE, "t=" + t + ",v1=" + DigestText.hex(digest));
    return headers;
  }
}
