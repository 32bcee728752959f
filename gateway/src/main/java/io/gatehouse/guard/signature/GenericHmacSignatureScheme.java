package io.gatehouse.guard.signature;

import io.gatehouse.config.Secret;
import io.gatehouse.config.WebhookConfig.GenericHmac;
import io.gatehouse.config.WebhookConfig.GenericHmac.Encoding;
import io.gatehouse.config.WebhookConfig.GenericHmac.Signed;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code hmac-sha256}: for senders with no scheme of their own here. One header carries
 * {@code <prefix><digest>}, the digest hex or base64, an HMAC-SHA256 keyed with the secret's UTF-8 bytes over
 * either the raw body or {@code "<timestamp>.<body>"} with the timestamp (Unix seconds) from its own header, checked
 * against the tolerance both ways. The replay key is the id header's value when one is configured, else the
 * timestamp (if signed) and the signature.
 *
 * <p>This is the shape most hand-rolled senders use (GitHub's is the body variant with prefix {@code sha256=},
 * Stripe's and Slack's are timestamp variants with their own separators), so a tool such as a form service or an
 * internal system can be configured without code. An unsigned id header has the weakness described on
 * {@link GitHubSignatureScheme}.
 */
public final class GenericHmacSignatureScheme implements SignatureScheme {
  private final GenericHmac settings;

  public GenericHmacSignatureScheme(GenericHmac settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override public Start begin(MultiMap headers, HmacKeys keys, Instant now, Duration tolerance) {
    String header = settings.header();
    try {
      String value = DeliveryHeaders.single(headers, header, true);
      if (!value.startsWith(settings.prefix())) {
        throw SignatureRefusal.invalid(header + " does not start with the configured prefix");
      }
      String text = value.substring(settings.prefix().length());
      byte[] signature = settings.encoding() == Encoding.HEX
          ? DigestText.fromHex(text, header) : DigestText.fromBase64(text, header);
      String id = settings.idHeader().isPresent() ? DeliveryHeaders.id(headers, settings.idHeader().get()) : null;
      byte[] prefix = new byte[0];
      String keyPrefix = "";
      if (settings.signed() == Signed.TIMESTAMP_BODY) {
        String name = settings.timestampHeader().orElseThrow();
        long ts = DeliveryHeaders.timestamp(DeliveryHeaders.single(headers, name, false), name);
        DeliveryHeaders.checkTolerance(ts, now, tolerance);
        prefix = signedPrefix(ts);
        keyPrefix = ts + ":";
      }
      String signaturePart = keyPrefix;
      return HmacVerification.start(keys, prefix, List.of(signature),
          digest -> id != null ? id : signaturePart + DigestText.hex(digest));
    } catch (SignatureRefusal refusal) {
      return refusal.toStart();
    }
  }

  @Override public Map<String, String> sign(byte[] body, Secret secret, String id, Instant timestamp) {
    Map<String, String> headers = new LinkedHashMap<>();
    settings.idHeader().ifPresent(name -> headers.put(name, id));
    byte[] prefix = new byte[0];
    if (settings.signed() == Signed.TIMESTAMP_BODY) {
      long ts = timestamp.getEpochSecond();
      headers.put(settings.timestampHeader().orElseThrow(), Long.toString(ts));
      prefix = signedPrefix(ts);
    }
    byte[] digest = HmacSha256.of(secret.bytes(), prefix, body);
    String encoded = settings.encoding() == Encoding.HEX ? DigestText.hex(digest) : DigestText.base64(digest);
    headers.put(settings.header(), settings.prefix() + encoded);
    return headers;
  }

  private static byte[] signedPrefix(long ts) {
    return (ts + ".").getBytes(StandardCharsets.US_ASCII);
  }
}
