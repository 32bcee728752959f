package io.gatehouse.forward;

import io.vertx.core.buffer.Buffer;

/**
 * The client-to-upstream half of a tunnel: relays the client's bytes as they are, except the PONG frames that answer
 * the gateway's own pings, which it takes out so n8n sees exactly the stream the client would have sent without us.
 * Forwarding them would be legal (an unsolicited PONG, RFC 6455 §5.5.3), but dropping is cheap and safe here: a
 * control frame is whole and at most 131 bytes on the wire, so a PONG is held until its end (never more), then
 * unmasked and compared with {@link WebSocketPingWriter#PAYLOAD}; control frames are never compressed by
 * permessage-deflate (RFC 7692 §6.1), so the payload is plain. Any other frame passes without being held.
 *
 * <p>Only as many PONGs are dropped as PINGs were sent; a client may answer several pings with one (§5.5.3), so fewer
 * arrive, never more. If the client's stream is not one the scanner can follow, everything passes untouched.
 */
final class WebSocketPongFilter {
  private static final byte FIN_PONG = (byte) (0x80 | WebSocketFrameScanner.PONG);

  private final WebSocketFrameScanner frames = new WebSocketFrameScanner(true);
  private Buffer held;
  private int unanswered;

  /** A gateway PING went out: one more PONG of ours may come. */
  void pingSent() {
    unanswered++;
  }

  /** The bytes to forward for {@code buffer}: itself, or it without our PONGs (a frame split over reads is held). */
  Buffer filter(Buffer buffer) {
    Buffer out = null;
    int copied = 0;
    int pos = 0;
    int end = buffer.length();
    while (pos < end) {
      if (held == null && unanswered > 0 && frames.atBoundary() && buffer.getByte(pos) == FIN_PONG) {
        if (out == null) out = Buffer.buffer();
        out.appendBuffer(buffer, copied, pos - copied);
        held = Buffer.buffer();
      }
      int next = frames.advance(buffer, pos);
      if (held != null) {
        if (out == null) out = Buffer.buffer();
        held.appendBuffer(buffer, pos, next - pos);
        copied = next;
        if (frames.invalid() != null) {
          out.appendBuffer(held);
          held = null;
        } else if (frames.atBoundary()) {
          if (isOurs(held)) unanswered--;
          else out.appendBuffer(held);
          held = null;
        }
      }
      pos = next;
    }
    if (out == null) return buffer;
    return out.appendBuffer(buffer, copied, end - copied);
  }

  /** Why the client's stream could not be followed, or null. */
  String invalid() {
    return frames.invalid();
  }

  /** A whole masked PONG frame (header 2 bytes, mask 4, payload at most 125): does it carry our payload? */
  private static boolean isOurs(Buffer frame) {
    Buffer payload = WebSocketPingWriter.PAYLOAD;
    if ((frame.getByte(1) & 0x7F) != payload.length() || frame.length() != 6 + payload.length()) return false;
    for (int i = 0; i < payload.length(); i++) {
      if ((frame.getByte(6 + i) ^ frame.getByte(2 + i % 4)) != payload.getByte(i)) return false;
    }
    return true;
  }
}
