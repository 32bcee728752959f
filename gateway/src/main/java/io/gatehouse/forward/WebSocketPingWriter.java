package io.gatehouse.forward;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The upstream-to-client half of a tunnel: relays n8n's bytes as they are and, when asked, puts one gateway PING
 * (server-to-client, unmasked, RFC 6455 §5.5.2) between two of n8n's frames, never inside one. A control frame may sit
 * between the fragments of a message (§5.4), so any frame boundary will do. Once n8n's stream is not one it can
 * follow, or n8n has sent Close (after which nothing may follow from the server's side, §5.5.1), it pings no more.
 */
final class WebSocketPingWriter {
  /** Recognisable in a capture, and how the client's PONG is told apart from answers to n8n's own (empty) pings. */
  static final Buffer PAYLOAD = Buffer.buffer("gatehouse-ping".getBytes(StandardCharsets.US_ASCII));
  private static final Buffer PING_FRAME =
      Buffer.buffer().appendByte((byte) 0x89).appendByte((byte) PAYLOAD.length()).appendBuffer(PAYLOAD);

  private final WebSocketFrameScanner frames = new WebSocketFrameScanner(false);
  private final Handler<Buffer> toClient;
  private final Runnable onPing;
  private boolean due;

  /** @param onPing told each time a PING is written, so the other half knows which PONGs are ours */
  WebSocketPingWriter(Handler<Buffer> toClient, Runnable onPing) {
    this.toClient = toClient;
    this.onPing = onPing;
  }

  /** Relays one buffer from n8n, with the due PING at the first frame boundary in it (or at its end). */
  void relay(Buffer buffer) {
    int written = 0;
    int pos = 0;
    int end = buffer.length();
    while (true) {
      if (due && frames.atBoundary() && pinging()) {
        if (pos > written) toClient.handle(buffer.getBuffer(written, pos));
        writePing();
        written = pos;
      }
      if (pos == end) break;
      pos = frames.advance(buffer, pos);
    }
    toClient.handle(written == 0 ? buffer : buffer.getBuffer(written, end));
  }

  /** A PING is wanted: written now if n8n's stream is between frames, else at its next boundary. */
  void pingDue() {
    if (!pinging()) return;
    due = true;
    if (frames.atBoundary()) writePing();
  }

  /** False once n8n's stream can no longer take a frame of ours: it was invalid, or it carried a Close. */
  boolean pinging() {
    return frames.invalid() == null && !frames.closeSeen();
  }

  /** Why n8n's stream could not be followed, or null. */
  String invalid() {
    return frames.invalid();
  }

  private void writePing() {
    due = false;
    toClient.handle(PING_FRAME.copy());
    onPing.run();
  }
}
