package io.gatehouse.audit.scrub;

import io.gatehouse.audit.scrub.body.ScratchPool;
import io.gatehouse.audit.scrub.field.FieldNameMatcher;
import io.gatehouse.audit.scrub.text.NameLists;
import io.gatehouse.audit.scrub.text.TextScanner;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a request or response body into what the audit log may hold ({@link ScrubResult}), under one immutable
 * {@link ScrubPolicy}. Built once per config and shared: thread-safe, with no state but the policy, the field-name
 * cache ({@link FieldNameMatcher}), the shipped name lists and one spare set of buffers per thread
 * ({@link ScratchPool}). Each body gets its own {@link ScrubStream}, which is cheap to open (an HMAC, and the
 * buffers of its thread's last body).
 */
public final class Scrubber {
  private static final String HMAC = "HmacSHA256";

  private final ScrubPolicy policy;
  private final FieldNameMatcher fields;
  private final TextScanner scanner;
  private final SecretKeySpec key;
  /** Initialised once; each stream clones it, which skips the key schedule. */
  private final Mac prototype;
  /** Buffers a finished body leaves for the next one on its thread (see there why this is no shared state). */
  private final ScratchPool scratch = new ScratchPool();

  public Scrubber(ScrubPolicy policy) {
    this(policy, NameLists.shipped());
  }

  Scrubber(ScrubPolicy policy, NameLists names) {
    this.policy = policy;
    this.fields = new FieldNameMatcher(policy.keys(), policy.allowKeys());
    this.scanner = new TextScanner(names);
    this.key = new SecretKeySpec(policy.hmacKey(), HMAC);
    this.prototype = newMac();
  }

  public ScrubPolicy policy() {
    return policy;
  }

  /** Scrubs a whole body. */
  public ScrubResult scrub(String contentType, byte[] body) {
    ScrubStream stream = open(contentType);
    stream.write(body, 0, body.length);
    return stream.finish();
  }

  /**
   * A stream for one body of this content type, to write its chunks into as they pass and finish when it ends;
   * it keeps at most {@code max_payload} bytes of scrubber state and does work in proportion to each chunk.
   */
  public ScrubStream open(String contentType) {
    return new ScrubStream(contentType, BodyKind.of(contentType), policy.maxPayload(), fields, scanner, scratch,
        mac());
  }

  /**
   * Scrubs what a tap kept of a body that was counted and hashed as it streamed past (on the event loop): its first
   * {@code length} bytes of {@code prefix}, taken as the start of a body of {@code size} bytes whose HMAC
   * ({@link #newHmac()}) is {@code hmac}. {@code encoded}: the body has a {@code Content-Encoding}, so its bytes
   * are not the type's and are never read.
   */
  public ScrubResult scrubCaptured(String contentType, boolean encoded, byte[] prefix, int length, long size,
      byte[] hmac) {
    BodyKind kind = encoded ? BodyKind.OMITTED : BodyKind.of(contentType);
    ScrubStream stream = new ScrubStream(contentType, kind, policy.maxPayload(), fields, scanner, scratch, null);
    if (kind != BodyKind.OMITTED) stream.write(prefix, 0, length);
    return stream.finish(size, hmac);
  }

  /** A fresh HMAC under the policy's key, for a tap that hashes a body as it streams ({@link #scrubCaptured}). */
  public Mac newHmac() {
    return mac();
  }

  private Mac mac() {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      return newMac();
    }
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is in every JDK", e);
    }
  }
}
