package io.gatehouse.guard.signature;

import io.gatehouse.config.Secret;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GitHub: {@code X-Hub-Signature-256: sha256=<hex>}, HMAC-SHA256 of the raw body keyed with the webhook secret;
 * GitHub signs no timestamp, so the tolerance does not apply. The legacy SHA-1 {@code X-Hub-Signature} is ignored.
 *
 * <p>The replay key is the signature, not the delivery id {@code X-GitHub-Delivery}: GitHub does not sign the id,
 * so keying on it would let whoever holds a captured delivery resend it under a fresh id. The cost: the same body
 * delivered twice within the replay window is refused the second time; GitHub payloads carry per-delivery data,
 * so a genuine duplicate body is a redelivery of the same event, which n8n should see once anyway.
 *
 * @see <a href="https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries">GitHub:
 *     Validating webhook deliveries</a>
 */
public final class GitHubSignatureScheme implements SignatureScheme {
  static final String SIGNATURE = "X-Hub-Signature-256";
  static final String DELIVERY = "X-GitHub-Delivery";
  private static final String PREFIX = "sha256=";

  @Override public Start begin(MultiMap headers, HmacKeys keys, Instant now, Duration tolerance) {
    try {
      String value = DeliveryHeaders.single(headers, SIGNATURE, true);
      if (!value.startsWith(PREFIX)) throw SignatureRefusal.invalid(SIGNATURE + " does not start with sha256=");
      byte[] signature = DigestText.fromHex(value.substring(PREFIX.length()), SIGNATURE);
      DeliveryHeaders.id(headers, DELIVERY); // required and well-formed, though unsigned: see the class comment
      return HmacVerification.start(keys, new byte[0], List.of(signature),
          digest -> PREFIX + DigestText.hex(digest));
    } catch (SignatureRefusal refusal) {
      return refusal.toStart();
    }
  }

  @Override public Map<String, String> sign(byte[] body, Secret secret, String id, Instant timestamp) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(DELIVERY, id);
    headers.put(SIGNATURE, PREFIX + DigestText.hex(HmacSha256.of(secret.bytes(), body)));
    return headers;
  }
}
