package io.gatehouse.guard.signature;

import io.gatehouse.config.Secret;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shopify: {@code X-Shopify-Hmac-Sha256: <base64>}, HMAC-SHA256 of the raw body keyed with the app's client
 * secret. The replay key is the signature: {@code X-Shopify-Webhook-Id} is not covered by the HMAC, so keying on it
 * would let a captured delivery be resent under a fresh id.
 *
 * <p>The tolerance is not enforced on {@code X-Shopify-Triggered-At}, on purpose. That header is not covered by the
 * HMAC, so anyone resending a captured delivery can rewrite it: checking it would stop no attacker. And Shopify
 * retries a failed delivery 8 times over 4 hours "with the original payload from the time they were triggered", so
 * a 5-minute tolerance would refuse exactly the retries that recover from an n8n outage (the replay store forgets a
 * delivery that n8n failed to take, so those retries pass).
 *
 * @see <a href="https://shopify.dev/docs/apps/build/webhooks/subscribe/https">Shopify:
 *     verify the webhook</a>
 * @see <a href="https://shopify.dev/changelog/updates-to-webhook-retry-mechanism">Shopify: webhook retries</a>
 */
public final class ShopifySignatureScheme implements SignatureScheme {
  static final String SIGNATURE = "X-Shopify-Hmac-Sha256";
  static final String WEBHOOK_ID = "X-Shopify-Webhook-Id";

  @Override public Start begin(MultiMap headers, HmacKeys keys, Instant now, Duration tolerance) {
    try {
      byte[] signature = DigestText.fromBase64(DeliveryHeaders.single(headers, SIGNATURE, true), SIGNATURE);
      DeliveryHeaders.id(headers, WEBHOOK_ID); // required and well-formed, though unsigned: see the class comment
      return HmacVerification.start(keys, new byte[0], List.of(signature),
          digest -> DigestText.base64(digest));
    } catch (SignatureRefusal refusal) {
      return refusal.toStart();
    }
  }

  @Override public Map<String, String> sign(byte[] body, Secret secret, String id, Instant timestamp) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(WEBHOOK_ID, id);
    headers.put(SIGNATURE, DigestText.base64(HmacSha256.of(secret.bytes(), body)));
    return headers;
  }
}
