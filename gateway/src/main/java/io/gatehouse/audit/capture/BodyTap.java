package io.gatehouse.audit.capture;

import io.gatehouse.core.BodyBudget;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import javax.crypto.Mac;

/**
 * One body as it streams past on the event loop: every byte goes into the size and the keyed HMAC (work in
 * proportion to the chunk, which the decoder bounds: at most 16 KiB for an HTTP/2 frame, 8 KiB for an HTTP/1.1
 * chunk), and the first {@code max_payload} bytes are copied for the scrubber, which runs later on a worker
 * ({@link PayloadRecorder}). The copy grows with the bytes that arrive, never with a declared length, and draws on
 * the process-wide capture budget: when that is spent, copying stops and the body is logged as cut there.
 * Confined to the exchange's event loop.
 */
final class BodyTap {
  private static final byte[] EMPTY = new byte[0];
  private static final int FIRST_CAPACITY = 1024;

  private final BodyPart part;
  private final String contentType;
  private final String contentEncoding;
  private final boolean keep;
  private final int maxPayload;
  private final Mac mac;
  private final BodyBudget.Reservation reservation;
  private byte[] kept = EMPTY;
  private int length;
  private long size;
  private boolean budgetSpent;

  /**
   * @param keep whether the bytes are worth copying: false for a body that is never scrubbed (multipart, binary,
   *     encoded), whose size and HMAC are still taken
   */
  BodyTap(BodyPart part, String contentType, String contentEncoding, boolean keep, int maxPayload, Mac mac,
      BodyBudget.Reservation reservation) {
    this.part = part;
    this.contentType = contentType;
    this.contentEncoding = contentEncoding;
    this.keep = keep;
    this.maxPayload = maxPayload;
    this.mac = mac;
    this.reservation = reservation;
  }

  void take(ByteBuf chunk) {
    int n = chunk.readableBytes();
    if (n == 0) return;
    if (chunk.nioBufferCount() == 1) {
      mac.update(chunk.nioBuffer());
    } else {
      // A composite (a body a guard read whole) is hashed part by part; one nioBuffer() of it would copy it.
      for (ByteBuffer piece : chunk.nioBuffers()) mac.update(piece);
    }
    size += n;
    int take = keep && !budgetSpent ? Math.min(n, maxPayload - length) : 0;
    if (take <= 0) return;
    if (length + take > kept.length && !grow(length + take)) {
      budgetSpent = true;
      return;
    }
    chunk.getBytes(chunk.readerIndex(), kept, length, take);
    length += take;
  }

  private boolean grow(int needed) {
    int capacity = Math.min(maxPayload, Math.max(needed, Math.max(FIRST_CAPACITY, kept.length * 2)));
    // Near the end of the budget, the exact size may still fit where the doubled one does not.
    if (!reservation.take(capacity - kept.length)) {
      capacity = needed;
      if (!reservation.take(capacity - kept.length)) return false;
    }
    byte[] bigger = new byte[capacity];
    System.arraycopy(kept, 0, bigger, 0, length);
    kept = bigger;
    return true;
  }

  /** What was taken; the tap is done. The copy is handed over, not duplicated. */
  CapturedBody finish() {
    byte[] bytes = kept;
    kept = EMPTY;
    return new CapturedBody(part, contentType, contentEncoding, bytes, length, size, mac.doFinal(), budgetSpent);
  }
}
