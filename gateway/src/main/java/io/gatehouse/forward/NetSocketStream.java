package io.gatehouse.forward;

import io.gatehouse.http.RawStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.function.Consumer;

/** n8n's side of a WebSocket tunnel: the Vert.x client's socket after the 101. */
final class NetSocketStream implements RawStream {
  private final NetSocket socket;

  NetSocketStream(NetSocket socket) {
    this.socket = socket;
  }

  @Override public void handler(Consumer<Buffer> onBytes) { socket.handler(onBytes == null ? null : onBytes::accept); }
  @Override public void write(Buffer bytes) { socket.write(bytes); }
  @Override public boolean writeQueueFull() { return socket.writeQueueFull(); }
  @Override public void drainHandler(Runnable onDrain) { socket.drainHandler(v -> onDrain.run()); }
  @Override public void pause() { socket.pause(); }
  @Override public void resume() { socket.resume(); }
  @Override public void closeHandler(Runnable onClose) { socket.closeHandler(v -> onClose.run()); }
  @Override public void close() { socket.close(); }
}
