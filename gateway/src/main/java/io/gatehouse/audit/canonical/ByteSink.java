package io.gatehouse.audit.canonical;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte array the writer encodes entries into: unlike {@code ByteArrayOutputStream}, whose every
 * {@code write} is synchronized, a byte costs a bounds check, and a partly written entry can be dropped. Not
 * thread-safe.
 */
public final class ByteSink {
  private byte[] buf;
  private int count;

  public ByteSink(int initialCapacity) {
    buf = new byte[initialCapacity];
  }

  public void write(int b) {
    if (count == buf.length) grow(1);
    buf[count++] = (byte) b;
  }

  public void write(byte[] bytes, int offset, int length) {
    if (count + length > buf.length) grow(length);
    System.arraycopy(bytes, offset, buf, count, length);
    count += length;
  }

  /** ASCII text (digits, base64, fixed field names), one byte per char. */
  public void writeAscii(String s) {
    int n = s.length();
    if (count + n > buf.length) grow(n);
    for (int i = 0; i < n; i++) buf[count++] = (byte) s.charAt(i);
  }

  private void grow(int needed) {
    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + needed));
  }

  public int size() {
    return count;
  }

  public void reset() {
    count = 0;
  }

  /** Drops everything after the first {@code size} bytes. */
  public void truncate(int size) {
    count = size;
  }

  /** The backing array: valid up to {@link #size()}, until the next write. */
  public byte[] array() {
    return buf;
  }

  public ByteBuffer asByteBuffer() {
    return ByteBuffer.wrap(buf, 0, count);
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, count);
  }
}
