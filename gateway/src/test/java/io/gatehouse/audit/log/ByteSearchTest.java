package io.gatehouse.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteSearchTest {
  /** Bytes that trip word-at-a-time searches: the targets, their neighbours, 0x01 (the borrow), and high bytes. */
  private static final byte[] ALPHABET = {'\n', '"', '\\', 0x0b, 0x09, '#', '!', 0x01, 0x00, (byte) 0x80,
      (byte) 0x8a, (byte) 0xa2, (byte) 0xdc, (byte) 0xff, 'a', '{'};

  @Test
  void findsWhatAByteLoopFindsInRandomBytesAtEveryOffset() {
    SplittableRandom random = new SplittableRandom(6962);
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[random.nextInt(1, 40)];
      int density = random.nextInt(1, 30);
      for (int i = 0; i < b.length; i++) {
        b[i] = random.nextInt(density) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte) random.nextInt(256);
      }
      int from = random.nextInt(b.length);
      int to = random.nextInt(from, b.length + 1);
      assertThat(ByteSearch.newline(b, from, to)).as("newline in %s", hex(b)).isEqualTo(naive(b, from, to, '\n', '\n'));
      assertThat(ByteSearch.quoteOrBackslash(b, from, to)).as("quote in %s", hex(b))
          .isEqualTo(naive(b, from, to, '"', '\\'));
    }
  }

  @Test
  void aZeroByteBelowTheTargetDoesNotHideIt() {
    // 0x0b ^ '\n' is 0x01: a borrow from a zero byte below could mark it; the first match must still be exact.
    byte[] b = {'x', 'x', '\n', 0x0b, 'x', 'x', 'x', 'x', 'x'};
    assertThat(ByteSearch.newline(b, 0, b.length)).isEqualTo(2);
    assertThat(ByteSearch.newline(b, 3, b.length)).isEqualTo(-1);
  }

  private static int naive(byte[] b, int from, int to, char one, char other) {
    for (int i = from; i < to; i++) if (b[i] == one || b[i] == other) return i;
    return -1;
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) s.append(String.format("%02x", x));
    return s.toString();
  }
}
