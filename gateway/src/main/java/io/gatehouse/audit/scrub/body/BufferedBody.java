package io.gatehouse.audit.scrub.body;

import java.util.Arrays;

/**
 * The bytes of a body that is scrubbed whole once it has ended (form and text: their cues and fields can span any
 * chunk boundary). The caller bounds what it hands over by {@code max_payload}, so this never grows past it.
 */
final class BufferedBody {
  private byte[] bytes = new byte[1024];
  private int size;

  void write(byte[] chunk, int offset, int length) {
    if (size + length > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
    System.arraycopy(chunk, offset, bytes, size, length);
    size += length;
  }

  byte[] array() {
    return bytes;
  }

  int size() {
    return size;
  }
}
