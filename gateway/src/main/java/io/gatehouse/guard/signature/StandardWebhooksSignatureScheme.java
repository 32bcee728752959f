package io.gatehouse.guard.signature;

import io.gatehouse.config.Secret;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Standard Webhooks (and Svix, which it grew out of): {@code webhook-id}, {@code webhook-timestamp} (Unix seconds)
 * and {@code webhook-signature}, a space-separated list of {@code v1,<base64>} entries, each an HMAC-SHA256 of
 * {@code "<id>.<timestamp>.<body>"}. The key is the secret {@code whsec_<base64>} decoded: the bytes behind the
 * base64, not the text (the {@code whsec_} prefix is optional, as in the reference libraries). Entries of other
 * versions ({@code v1a} asymmetric signatures, future ones) are skipped. The id is signed, so it is the replay key.
 *
 * <p>Svix sends the same headers named {@code svix-id}, {@code svix-timestamp} and {@code svix-signature} unless the
 * account white-labels them; those are read when no {@code webhook-*} header is present at all, never mixed.
 *
 * @see <a href="https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md">The
 *     Standard Webhooks specification</a>
 * @see <a href="https://docs.svix.com/receiving/verifying-payloads/how-manual">Svix: verifying webhooks manually</a>
 */
public final class StandardWebhooksSignatureScheme implements SignatureScheme {
  static final String SECRET_PREFIX = "whsec_";
  private static final String VERSION = "v1";
  /** The sender signs once per active key; a handful during a roll. */
  private static final int MAX_SIGNATURES = 16;

  /** One header family: the standard names, or Svix's branded ones. */
  private record Names(String id, String timestamp, String signature) {
    static final Names STANDARD = new Names("webhook-id", "webhook-timestamp", "webhook-signature");
    static final Names SVIX = new Names("svix-id", "svix-timestamp", "svix-signature");

    boolean anyPresent(MultiMap headers) {
      return headers.contains(id) || headers.contains(timestamp) || headers.contains(signature);
    }
  }

  @Override public Start begin(MultiMap headers, HmacKeys keys, Instant now, Duration tolerance) {
    Names names = !Names.STANDARD.anyPresent(headers) && Names.SVIX.anyPresent(headers) ? Names.SVIX : Names.STANDARD;
    try {
      String value = DeliveryHeaders.single(headers, names.signature(), true);
      List<byte[]> signatures = signatures(value, names.signature());
      String id = DeliveryHeaders.id(headers, names.id());
      // The spec forbids "." in ids: with one, "<id>.<timestamp>." could be read with the split in another place.
      if (id.indexOf('.') >= 0) throw SignatureRefusal.invalid(names.id() + " contains '.'");
      long ts = DeliveryHeaders.timestamp(DeliveryHeaders.single(headers, names.timestamp(), false), names.timestamp());
      DeliveryHeaders.checkTolerance(ts, now, tolerance);
      return HmacVerification.start(keys, prefix(id, ts), signatures, digest -> id);
    } catch (SignatureRefusal refusal) {
      return refusal.toStart();
    }
  }

  @Override public Map<String, String> sign(byte[] body, Secret secret, String id, Instant timestamp) {
    byte[] key = key(secret).orElseThrow(() -> new IllegalArgumentException(
        "not a Standard Webhooks secret (expected whsec_ followed by base64)"));
    long ts = timestamp.getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(Names.STANDARD.id(), id);
    headers.put(Names.STANDARD.timestamp(), Long.toString(ts));
    headers.put(Names.STANDARD.signature(), VERSION + "," + DigestText.base64(HmacSha256.of(key, prefix(id, ts), body)));
    return headers;
  }

  /** The key is the base64 after {@code whsec_}, not the secret's text. */
  @Override public HmacKeys keys(List<Secret> secrets) {
    return HmacKeys.decoded(secrets, secret -> key(secret).orElse(null));
  }

  /** The HMAC key behind a {@code whsec_} secret; empty when it is not base64 of at least one byte. */
  static Optional<byte[]> key(Secret secret) {
    String text = secret.value().strip();
    if (text.startsWith(SECRET_PREFIX)) text = text.substring(SECRET_PREFIX.length());
    try {
      byte[] key = Base64.getDecoder().decode(text);
      return key.length == 0 ? Optional.empty() : Optional.of(key);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static List<byte[]> signatures(String value, String header) throws SignatureRefusal {
    List<byte[]> signatures = new ArrayList<>();
    for (String entry : value.split(" ")) {
      if (entry.isEmpty()) continue; // several spaces between entries
      int comma = entry.indexOf(',');
      if (comma <= 0) throw SignatureRefusal.invalid(header + " malformed");
      if (!entry.substring(0, comma).equals(VERSION)) continue;
      if (signatures.size() == MAX_SIGNATURES) throw SignatureRefusal.invalid(header + " has too many v1");
      signatures.add(DigestText.fromBase64(entry.substring(comma + 1), header + " v1"));
    }
    if (signatures.isEmpty()) throw SignatureRefusal.invalid("no v1 signature");
    return signatures;
  }

  private static byte[] prefix(String id, long ts) {
    return (id + "." + ts + ".").getBytes(StandardCharsets.US_ASCII);
  }
}
