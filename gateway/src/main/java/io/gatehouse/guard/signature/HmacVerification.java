package io.gatehouse.guard.signature;

import io.gatehouse.core.Reason;
import io.gatehouse.guard.signature.SignatureScheme.Start;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.security.MessageDigest;
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
   * @param keys the entry's prepared HMAC keys, in configuration order
   * @param candidates decoded signatures from the delivery, at least one
   */
  static Start start(HmacKeys keys, byte[] prefix, List<byte[]> candidates, ReplayKey replayKey) {
    if (keys.isEmpty()) return new Start.Refused(Reason.SIGNATURE_INVALID, "no usable secret");
    return new Start.Started(new HmacVerification(keys.start(prefix), List.copyOf(candidates), replayKey));
  }

  @Override public void update(Buffer chunk) {
    if (finished) throw new IllegalStateException("body chunk after verify()");
    // The chunk's own bytes, not a copy: one MAC per candidate secret reads them in place.
    ByteBuf bytes = ((BufferInternal) chunk).getByteBuf();
    for (Mac mac : macs) mac.update(bytes.nioBuffer());
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
