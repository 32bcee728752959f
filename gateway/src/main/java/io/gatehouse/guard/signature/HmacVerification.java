package io.gatehouse.guard.signature;

import io.gatehouse.config.Secret;
import io.gatehouse.guard.Reason;
import io.gatehouse.guard.signature.SignatureScheme.Start;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;

/**
 * The body-dependent half shared by every scheme: one running {@link Mac} per configured secret, fed the
 * scheme's signed prefix at once and the body chunk by chunk as it arrives, then compared in constant time with
 * every signature the delivery carries. Any secret may match any signature, which is what makes a secret roll
 * (old and new both configured) and a sender's own multi-signature rotation both work.
 */
final class HmacVerification implements SignatureScheme.Verification {
  /** Builds the replay key once the signature checked out; {@code digest} is the MAC that matched. */
  @FunctionalInterface
  interface ReplayKey {
    String of(byte[] digest);
  }

  private final List<Mac> macs;
  private final List<byte[]> candidates;
  private final ReplayKey replayKey;
  private boolean finished;
  private byte[] matched;

  private HmacVerification(List<Mac> macs, List<byte[]> candidates, ReplayKey replayKey) {
    this.macs = macs;
    this.candidates = candidates;
    this.replayKey = replayKey;
  }

  /**
   * Starts a verification over {@code prefix} followed by the body.
   *
   * @param keys HMAC keys in configuration order; empty keys are skipped (they cannot be an HMAC key)
   * @param candidates decoded signatures from the delivery, at least one
   */
  static Start start(List<byte[]> keys, byte[] prefix, List<byte[]> candidates, ReplayKey replayKey) {
    List<Mac> macs = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      if (key.length == 0) continue;
      Mac mac = HmacSha256.keyed(key);
      mac.update(prefix);
      macs.add(mac);
    }
    if (macs.isEmpty()) return new Start.Refused(Reason.SIGNATURE_INVALID, "no usable secret");
    return new Start.Started(new HmacVerification(macs, List.copyOf(candidates), replayKey));
  }

  /** Secrets used as their UTF-8 bytes, which is how GitHub, Stripe, Slack and Shopify key their HMACs. */
  static List<byte[]> utf8Keys(List<Secret> secrets) {
    List<byte[]> keys = new ArrayList<>(secrets.size());
    for (Secret secret : secrets) keys.add(secret.bytes());
    return keys;
  }

  @Override public void update(Buffer chunk) {
    if (finished) throw new IllegalStateException("body chunk after verify()");
    byte[] bytes = chunk.getBytes();
    for (Mac mac : macs) mac.update(bytes);
  }

  @Override public boolean verify() {
    if (finished) return matched != null;
    finished = true;
    for (Mac mac : macs) {
      byte[] digest = mac.doFinal();
      // Every candidate is compared, match or not, so the time taken says nothing about which one (if any) matched.
      boolean hit = false;
      for (byte[] candidate : candidates) hit |= MessageDigest.isEqual(digest, candidate);
      // The first secret in configuration order that matches names the delivery, so a sender cannot get a second
      // replay key for the same delivery by reordering or adding signatures.
      if (hit && matched == null) matched = digest;
    }
    return matched != null;
  }

  @Override public String replayKey() {
    if (matched == null) throw new IllegalStateException("replayKey() before a successful verify()");
    return replayKey.of(matched);
  }
}
