package io.gatehouse.route;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * A request body read whole before forwarding, kept as the chunks it arrived in: appending them to one growing
 * buffer would copy every byte again and, while it grows, hold up to three times the body.
 *
 * @param chunks the body's bytes in order
 * @param length their total length
 */
public record BufferedBody(List<Buffer> chunks, long length) {
  public BufferedBody {
    chunks = List.copyOf(chunks);
  }

  /** The whole body as bytes (tests, small bodies); the forwarder writes the chunks instead. */
  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(length, Integer.MAX_VALUE));
    for (Buffer chunk : chunks) out.writeBytes(chunk.getBytes());
    return out.toByteArray();
  }
}
