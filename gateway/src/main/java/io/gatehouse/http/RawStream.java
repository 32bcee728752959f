package io.gatehouse.http;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * One side of a tunnel after a protocol switch (a WebSocket after n8n's 101): bytes either way, with back-pressure and
 * a close. Confined to its event loop; handlers run in the loop's Vert.x context.
 */
public interface RawStream {
  void handler(Consumer<Buffer> onBytes);

  void write(Buffer bytes);

  boolean writeQueueFull();

  void drainHandler(Runnable onDrain);

  void pause();

  void resume();

  /** Told once, when the side has closed (whoever closed it). */
  void closeHandler(Runnable onClose);

  void close();
}
