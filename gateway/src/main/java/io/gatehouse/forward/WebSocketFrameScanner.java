package io.gatehouse.forward;

import io.vertx.core.buffer.Buffer;

/**
 * Follows the frame headers of one direction of a WebSocket stream (RFC 6455 §5.2) across arbitrary TCP splits, so
 * the tunnel knows where one frame ends and the next begins. Payloads are skipped by counting, never read or copied.
 *
 * <p>It validates only what it needs to trust its own counting: the mask bit a sender must (client) or must not
 * (server) set, the opcode, the 64-bit length's top bit, and that a control frame is whole and at most 125 bytes. RSV
 * bits are extensions' business (permessage-deflate sets RSV1) and pass. Once something is invalid it stays so, and
 * the caller relays the rest untouched. Confined to one tunnel's event loop.
 */
final class WebSocketFrameScanner {
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  private final boolean fromClient;
  private final byte[] header = new byte[14];
  private int headerRead;
  private int headerLength;
  private long payloadLeft;
  private boolean inPayload;
  private boolean closeSeen;
  private String invalid;

  /** @param fromClient true for client-to-server frames, which must be masked; server frames must not be. */
  WebSocketFrameScanner(boolean fromClient) {
    this.fromClient = fromClient;
  }

  /**
   * Consumes {@code buffer} from {@code offset} until the current frame ends or the buffer does, and returns the offset
   * it stopped at. Call again from there for the next frame; {@link #atBoundary()} says whether it stopped between two.
   */
  int advance(Buffer buffer, int offset) {
    int end = buffer.length();
    if (invalid != null) return end;
    int pos = offset;
    while (pos < end) {
      if (inPayload) {
        long n = Math.min(payloadLeft, end - pos);
        pos += (int) n;
        payloadLeft -= n;
        if (payloadLeft == 0) inPayload = false;
        return pos;
      }
      header[headerRead++] = buffer.getByte(pos++);
      if (headerRead == 2 && !startHeader()) return end;
      if (headerRead == headerLength) {
        if (!finishHeader()) return end;
        if (payloadLeft > 0) inPayload = true;
        headerRead = 0;
        if (!inPayload) return pos;
      }
    }
    return pos;
  }

  /** Between two frames (or before the first): a frame of our own may go here. False once invalid. */
  boolean atBoundary() {
    return invalid == null && headerRead == 0 && !inPayload;
  }

  /** The sender has begun a Close frame: nothing may follow it from our side. */
  boolean closeSeen() {
    return closeSeen;
  }

  /** Why the stream stopped being a WebSocket stream we can follow, or null while it is one. */
  String invalid() {
    return invalid;
  }

  /** The first two bytes are in: checks them and works out the header's length. */
  private boolean startHeader() {
    int opcode = header[0] & 0x0F;
    boolean fin = (header[0] & 0x80) != 0;
    boolean masked = (header[1] & 0x80) != 0;
    int length7 = header[1] & 0x7F;
    if (masked != fromClient) return fail(fromClient ? "unmasked client frame" : "masked server frame");
    if (opcode > 2 && opcode < CLOSE || opcode > PONG) return fail("reserved opcode " + opcode);
    if (opcode >= CLOSE && (!fin || length7 > 125)) return fail("fragmented or long control frame");
    if (opcode == CLOSE) closeSeen = true;
    headerLength = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (masked ? 4 : 0);
    return true;
  }

  private boolean finishHeader() {
    int length7 = header[1] & 0x7F;
    if (length7 == 126) {
      payloadLeft = (header[2] & 0xFFL) << 8 | header[3] & 0xFFL;
    } else if (length7 == 127) {
      long length = 0;
      for (int i = 2; i < 10; i++) length = length << 8 | header[i] & 0xFFL;
      if (length < 0) return fail("64-bit length with the top bit set");
      payloadLeft = length;
    } else {
      payloadLeft = length7;
    }
    return true;
  }

  private boolean fail(String why) {
    invalid = why;
    return false;
  }
}
