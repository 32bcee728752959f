package io.gatehouse.guard.signature;

import io.gatehouse.config.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.crypto.Mac;

/**
 * A webhook entry's secrets as HMAC keys, prepared once per config load: each is decoded and keyed into a
 * {@link Mac} here, and a delivery gets clones of those. Keying a MAC looks the algorithm up in the JCA providers,
 * hashes the key into its inner and outer pads and allocates their state; a clone copies the two pads' hash state
 * and nothing else, which took the signed 1 KiB webhook's CPU per delivery down (loadtest/, webhooks part).
 *
 * <p>The prepared MACs are never updated themselves, only cloned, so one instance serves every event loop.
 */
public final class HmacKeys {
  private final List<Mac> prepared;

  private HmacKeys(List<Mac> prepared) {
    this.prepared = List.copyOf(prepared);
  }

  /** Secrets used as their UTF-8 bytes, which is how GitHub, Stripe, Slack and Shopify key their HMACs. */
  public static HmacKeys utf8(List<Secret> secrets) {
    return decoded(secrets, Secret::bytes);
  }

  /**
   * Secrets turned into key bytes by {@code decode}; a secret it gives no bytes for (null or empty) is skipped,
   * since an empty HMAC key cannot authenticate anything.
   */
  static HmacKeys decoded(List<Secret> secrets, Function<Secret, byte[]> decode) {
    List<Mac> macs = new ArrayList<>(secrets.size());
    for (Secret secret : secrets) {
      byte[] key = decode.apply(secret);
      if (key != null && key.length > 0) macs.add(HmacSha256.keyed(key));
    }
    return new HmacKeys(macs);
  }

  boolean isEmpty() {
    return prepared.isEmpty();
  }

  /** Fresh MACs for one delivery, in configuration order, each already fed {@code prefix}. */
  List<Mac> start(byte[] prefix) {
    List<Mac> macs = new ArrayList<>(prepared.size());
    for (Mac mac : prepared) {
      Mac fresh = HmacSha256.copy(mac);
      fresh.update(prefix);
      macs.add(fresh);
    }
    return macs;
  }
}
