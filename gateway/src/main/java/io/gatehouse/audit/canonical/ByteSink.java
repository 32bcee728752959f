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

  /** A whole number in decimal, as JSON writes it, without making a string of it first. */
  public void writeDecimal(long value) {
    if (value == Long.MIN_VALUE) {
      writeAscii(Long.toString(value));
      return;
    }
    if (value < 0) {
      write('-');
      value = -value;
    }
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) digits++;
    int at = reserve(digits);
    for (int i = at + digits - 1; i >= at; i--) {
      buf[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    count += digits;
  }

  /** ASCII text (digits, base64, fixed field names), one byte per char. */
  public void writeAscii(String s) {
    int n = s.length();
    if (count + n > buf.length) grow(n);
    for (int i = 0; i < n; i++) buf[count++] = (byte) s.charAt(i);
  }

  /**
   * Makes room for {@code n} more bytes and returns where they go in {@link #array()}; {@link #commit} then counts
   * the ones written. For encoders that write straight into the array.
   */
  public int reserve(int n) {
    if (count + n > buf.length) grow(n);
    return count;
  }

  /** Counts {@code n} bytes written into the room {@link #reserve} made. */
  public void commit(int n) {
    if (n < 0 || count + n > buf.length) throw new IllegalArgumentException("more than was reserved");
    count += n;
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
