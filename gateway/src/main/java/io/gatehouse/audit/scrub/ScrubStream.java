package io.gatehouse.audit.scrub;

import io.gatehouse.audit.scrub.body.BodyScrubber;
import io.gatehouse.audit.scrub.body.FormBodyScrubber;
import io.gatehouse.audit.scrub.body.JsonBodyScrubber;
import io.gatehouse.audit.scrub.body.ScratchBuffers;
import io.gatehouse.audit.scrub.body.ScratchPool;
import io.gatehouse.audit.scrub.body.TextBodyScrubber;
import io.gatehouse.audit.scrub.body.TypeCounts;
import io.gatehouse.audit.scrub.field.FieldNameMatcher;
import io.gatehouse.audit.scrub.text.TextScanner;
import javax.crypto.Mac;

/**
 * One body being scrubbed as it streams past ({@link Scrubber#open}): every byte written goes into the HMAC and
 * the size; only the first {@code max_payload} go to the scrubber for its kind, and JSON is parsed chunk by chunk
 * as written. Not thread-safe: one writer, then {@link #finish()} once.
 */
public final class ScrubStream {
  private final String contentType;
  private final BodyKind kind;
  private final int maxPayload;
  private final Mac mac;
  private final TypeCounts counts = new TypeCounts();
  private final BodyScrubber body;
  private final ScratchPool pool;
  /** Lent by the pool while the body is open; null for kinds that do not use them. */
  private ScratchBuffers buffers;
  private long size;
  private boolean finished;

  /** @param mac the keyed HMAC to feed every byte; null when the caller hashed the body as it streamed */
  ScrubStream(String contentType, BodyKind kind, int maxPayload, FieldNameMatcher fields, TextScanner scanner,
      ScratchPool pool, Mac mac) {
    this.contentType = contentType;
    this.kind = kind;
    this.maxPayload = maxPayload;
    this.mac = mac;
    this.pool = pool;
    if (kind == BodyKind.JSON) buffers = pool.take();
    this.body = switch (kind) {
      case JSON -> new JsonBodyScrubber(fields, scanner, counts, buffers);
      case FORM -> new FormBodyScrubber(fields, scanner, counts);
      case TEXT -> new TextBodyScrubber(scanner, counts, BodyKind.charset(contentType));
      case OMITTED -> null;
    };
  }

  public BodyKind kind() {
    return kind;
  }

  /** Takes the next bytes of the body; they may be reused once this returns. */
  public void write(byte[] bytes, int offset, int length) {
    if (finished) throw new IllegalStateException("finished");
    if (mac != null) mac.update(bytes, offset, length);
    long room = maxPayload - Math.min(size, maxPayload);
    int take = (int) Math.min(room, length);
    size += length;
    if (take > 0 && body != null) body.write(bytes, offset, take);
  }

  /** The result for the body written so far, which is taken as all of it. */
  public ScrubResult finish() {
    if (mac == null) throw new IllegalStateException("the body was hashed by its tap: finish(size, hmac)");
    return finish(size, mac.doFinal());
  }

  /**
   * The result for a body of {@code fullSize} bytes with the given HMAC, of which the bytes written are the first
   * (all of it, or a prefix: the rest was counted and hashed as it streamed, and is cut).
   */
  ScrubResult finish(long fullSize, byte[] hmac) {
    if (finished) throw new IllegalStateException("finished");
    finished = true;
    // Nothing of an omitted body is kept, so nothing of it is cut.
    boolean cut = body != null && fullSize > Math.min(size, maxPayload);
    String scrubbed = "";
    boolean malformed = false;
    if (body != null) {
      BodyScrubber.Outcome outcome = body.finish(cut);
      scrubbed = outcome.scrubbed();
      malformed = outcome.malformed();
    }
    if (buffers != null) {
      pool.give(buffers);
      buffers = null;
    }
    return new ScrubResult(kind, contentType, scrubbed, counts.toMap(), fullSize, cut, malformed, hmac);
  }
}
