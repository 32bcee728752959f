package io.gatehouse.sso.session;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A sealed payload's first byte says how the rest is stored: {@link #PLAIN} or {@link #DEFLATED} (raw DEFLATE).
 * Small payloads stay plain (compressing them costs more time than it saves bytes); larger ones are compressed when
 * that makes them shorter. Inflating stops at {@link #MAX_UNPACKED_BYTES}, so even a bug cannot make it allocate
 * without bound.
 *
 * <p>Compression before encryption leaks the length of the compressed content (the CRIME family): that needs an
 * attacker who both injects text next to a secret in the same cookie and sees the cookie's length, which the
 * session cookie's content (set from the IdP's claims at login) does not give.
 */
final class PayloadCompression {
  static final byte PLAIN = 0;
  static final byte DEFLATED = 1;
  /** Below this a payload is left plain. */
  static final int COMPRESS_FROM_BYTES = 512;
  static final int MAX_UNPACKED_BYTES = 16 * 1024;

  private PayloadCompression() {}

  static byte[] pack(byte[] data) {
    if (data.length >= COMPRESS_FROM_BYTES) {
      byte[] deflated = deflate(data);
      if (deflated.length < data.length) return prefixed(DEFLATED, deflated, deflated.length);
    }
    return prefixed(PLAIN, data, data.length);
  }

  static byte[] unpack(byte[] packed) throws CompactJson.Malformed {
    if (packed.length < 1) throw new CompactJson.Malformed();
    byte[] rest = new byte[packed.length - 1];
    System.arraycopy(packed, 1, rest, 0, rest.length);
    if (packed[0] == PLAIN) return rest;
    if (packed[0] == DEFLATED) return inflate(rest);
    throw new CompactJson.Malformed();
  }

  private static byte[] prefixed(byte format, byte[] data, int length) {
    byte[] out = new byte[length + 1];
    out[0] = format;
    System.arraycopy(data, 0, out, 1, length);
    return out;
  }

  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    try {
      deflater.setInput(data);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
      byte[] chunk = new byte[1024];
      while (!deflater.finished()) {
        int n = deflater.deflate(chunk);
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static byte[] inflate(byte[] data) throws CompactJson.Malformed {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 3);
      byte[] chunk = new byte[1024];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) throw new CompactJson.Malformed();
        if (out.size() + n > MAX_UNPACKED_BYTES) throw new CompactJson.Malformed();
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new CompactJson.Malformed();
    } finally {
      inflater.end();
    }
  }
}
