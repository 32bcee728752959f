package io.gatehouse.guard.signature;

import io.gatehouse.config.Secret;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Slack: {@code X-Slack-Signature: v0=<hex>}, HMAC-SHA256 of {@code "v0:<timestamp>:<body>"} keyed with the app's
 * signing secret, the timestamp taken from {@code X-Slack-Request-Timestamp} (Unix seconds). Slack asks receivers
 * to refuse a timestamp more than five minutes from now; the configured tolerance (default 5m) is applied both
 * ways.
 *
 * <p>Replay key: the timestamp plus the signature. Slack sends no delivery id in a header ({@code event_id} is in
 * the body, which the gateway does not parse); both parts are covered by the HMAC, so they cannot be varied to
 * dodge the replay store.
 *
 * @see <a href="https://api.slack.com/authentication/verifying-requests-from-slack">Slack: verifying requests</a>
 */
public final class SlackSignatureScheme implements SignatureScheme {
  static final String SIGNATURE = "X-Slack-Signature";
  static final String TIMESTAMP = "X-Slack-Request-Timestamp";
  private static final String VERSION = "v0";

  @Override public Start begin(MultiMap headers, HmacKeys keys, Instant now, Duration tolerance) {
    try {
      String value = DeliveryHeaders.single(headers, SIGNATURE, true);
      if (!value.startsWith(VERSION + "=")) throw SignatureRefusal.invalid(SIGNATURE + " does not start with v0=");
      byte[] signature = DigestText.fromHex(value.substring(VERSION.length() + 1), SIGNATURE);
      long ts = DeliveryHeaders.timestamp(DeliveryHeaders.single(headers, TIMESTAMP, false), TIMESTAMP);
      DeliveryHeaders.checkTolerance(ts, now, tolerance);
      return HmacVerification.start(keys, prefix(ts), List.of(signature),
          digest -> ts + ":" + VERSION + "=" + DigestText.hex(digest));
    } catch (SignatureRefusal refusal) {
      return refusal.toStart();
    }
  }

  @Override public Map<String, String> sign(byte[] body, Secret secret, String id, Instant timestamp) {
    long ts = timestamp.getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(TIMESTAMP, Long.toString(ts));
    headers.put(SIGNATURE, VERSION + "=" + DigestText.hex(HmacSha256.of(secret.bytes(), prefix(ts), body)));
    return headers;
  }

  private static byte[] prefix(long ts) {
    return (VERSION + ":" + ts + ":").getBytes(StandardCharsets.US_ASCII);
  }
}
