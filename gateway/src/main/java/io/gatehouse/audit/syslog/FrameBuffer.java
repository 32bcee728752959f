package io.gatehouse.audit.syslog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RFC 5425 frames ({@code MSG-LEN SP SYSLOG-MSG}, octet counting, §4.3.1) built into one reusable buffer, so a batch
 * goes out in one write and as few TLS records as its size allows.
 */
final class FrameBuffer extends ByteArrayOutputStream {
  FrameBuffer(int initialBytes) {
    super(initialBytes);
  }

  void frame(byte[] message) {
    writeBytes(Integer.toString(message.length).getBytes(StandardCharsets.US_ASCII));
    write(' ');
    writeBytes(message);
  }

  /** The buffer itself, valid up to {@link #size()} until the next change. */
  byte[] bytes() {
    return buf;
  }
}
