package io.gatehouse.audit.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds bytes eight at a time ("SIMD within a register"): {@code verify-log} looks at every byte of a year's log for
 * newlines and string ends, and a byte-at-a-time loop there costs as much as hashing them. Java 17 has no vector API
 * outside an incubator, so this is the portable way; the tail shorter than a word is read byte by byte.
 */
final class ByteSearch {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long NEWLINES = ONES * '\n';
  private static final long QUOTES = ONES * '"';
  private static final long BACKSLASHES = ONES * '\\';

  private ByteSearch() {}

  /** The index of the first {@code '\n'} in {@code b[from, to)}, or -1. */
  static int newline(byte[] b, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long found = zeroBytes((long) LONGS.get(b, i) ^ NEWLINES);
      if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
    }
    for (; i < to; i++) if (b[i] == '\n') return i;
    return -1;
  }

  /** The index of the first {@code '"'} or {@code '\\'} in {@code b[from, to)}, or -1. */
  static int quoteOrBackslash(byte[] b, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long word = (long) LONGS.get(b, i);
      long found = zeroBytes(word ^ QUOTES) | zeroBytes(word ^ BACKSLASHES);
      if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
    }
    for (; i < to; i++) if (b[i] == '"' || b[i] == '\\') return i;
    return -1;
  }

  /**
   * The high bit set in each zero byte of {@code x}. Exact up to the lowest zero byte, which is all a search needs:
   * the borrow can mark a 0x01 byte above a zero one, never one below it.
   */
  private static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }
}
