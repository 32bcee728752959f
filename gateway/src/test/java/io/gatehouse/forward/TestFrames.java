package io.gatehouse.forward;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Encodes WebSocket frames as RFC 6455 §5.2 lays them out, for feeding the tunnel's parsers. */
final class TestFrames {
  static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

  private TestFrames() {
  }

  /** An unmasked frame, as n8n sends it. {@code first} is the whole first byte (FIN, RSV, opcode). */
  static Buffer server(int first, byte[] payload) {
    return frame(first, payload, null);
  }

  /** A masked frame, as a client sends it. */
  static Buffer client(int first, byte[] payload) {
    return frame(first, payload, MASK);
  }

  static Buffer frame(int first, byte[] payload, byte[] mask) {
    Buffer out = Buffer.buffer().appendByte((byte) first);
    int maskBit = mask == null ? 0 : 0x80;
    if (payload.length < 126) {
      out.appendByte((byte) (maskBit | payload.length));
    } else if (payload.length < 65536) {
      out.appendByte((byte) (maskBit | 126)).appendUnsignedShort(payload.length);
    } else {
      out.appendByte((byte) (maskBit | 127)).appendLong(payload.length);
    }
    if (mask == null) return out.appendBytes(payload);
    out.appendBytes(mask);
    for (int i = 0; i < payload.length; i++) out.appendByte((byte) (payload[i] ^ mask[i % 4]));
    return out;
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] filled(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) bytes[i] = (byte) (i * 31 + 7);
    return bytes;
  }

  static Buffer concat(Buffer... parts) {
    Buffer out = Buffer.buffer();
    for (Buffer part : parts) out.appendBuffer(part);
    return out;
  }
}
