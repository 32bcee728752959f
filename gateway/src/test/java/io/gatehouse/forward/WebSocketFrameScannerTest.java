package io.gatehouse.forward;

import static io.gatehouse.forward.TestFrames.ascii;
import static io.gatehouse.forward.TestFrames.concat;
import static io.gatehouse.forward.TestFrames.filled;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WebSocketFrameScannerTest {
  /** A text frame, 7-, 16- and 64-bit lengths, a fragmented message with a ping inside, an empty pong, a close. */
  private static final List<Buffer> SERVER_FRAMES = List.of(
      TestFrames.server(0x81, ascii("hello")),
      TestFrames.server(0x82, filled(125)),
      TestFrames.server(0x82, filled(126)),
      TestFrames.server(0xC2, filled(65535)), // RSV1: a permessage-deflate message
      TestFrames.server(0x82, filled(65536)),
      TestFrames.server(0x01, ascii("frag-")),
      TestFrames.server(0x89, ascii("n8n")),
      TestFrames.server(0x00, ascii("ment-")),
      TestFrames.server(0x80, ascii("ed")),
      TestFrames.server(0x8A, new byte[0]),
      TestFrames.server(0x88, new byte[] {0x03, (byte) 0xe8}));

  @Test void findsEveryFrameBoundaryInOnePiece() {
    Buffer stream = concat(SERVER_FRAMES.toArray(Buffer[]::new));
    WebSocketFrameScanner scanner = new WebSocketFrameScanner(false);

    List<Integer> boundaries = new ArrayList<>();
    int pos = 0;
    while (pos < stream.length()) {
      pos = scanner.advance(stream, pos);
      if (scanner.atBoundary()) boundaries.add(pos);
    }

    assertThat(boundaries).isEqualTo(frameEnds(SERVER_FRAMES));
    assertThat(scanner.invalid()).isNull();
  }

  @Test void findsTheSameBoundariesFedByteByByte() {
    Buffer stream = concat(SERVER_FRAMES.toArray(Buffer[]::new));
    WebSocketFrameScanner scanner = new WebSocketFrameScanner(false);

    List<Integer> boundaries = new ArrayList<>();
    for (int i = 0; i < stream.length(); i++) {
      assertThat(scanner.advance(stream.getBuffer(i, i + 1), 0)).isEqualTo(1);
      if (scanner.atBoundary()) boundaries.add(i + 1);
    }

    assertThat(boundaries).isEqualTo(frameEnds(SERVER_FRAMES));
  }

  @Test void findsTheSameBoundariesAcrossRandomSplits() {
    Buffer stream = concat(SERVER_FRAMES.toArray(Buffer[]::new));
    Random random = new Random(6455);
    for (int round = 0; round < 50; round++) {
      WebSocketFrameScanner scanner = new WebSocketFrameScanner(false);
      List<Integer> boundaries = new ArrayList<>();
      int start = 0;
      while (start < stream.length()) {
        int end = Math.min(stream.length(), start + 1 + random.nextInt(20_000));
        Buffer piece = stream.getBuffer(start, end);
        int pos = 0;
        while (pos < piece.length()) {
          pos = scanner.advance(piece, pos);
          if (scanner.atBoundary()) boundaries.add(start + pos);
        }
        start = end;
      }
      assertThat(boundaries).isEqualTo(frameEnds(SERVER_FRAMES));
    }
  }

  @Test void followsMaskedClientFrames() {
    List<Buffer> frames = List.of(TestFrames.client(0x81, ascii("hi")), TestFrames.client(0x82, filled(300)),
        TestFrames.client(0x8A, ascii("gatehouse-ping")), TestFrames.client(0x88, new byte[0]));
    Buffer stream = concat(frames.toArray(Buffer[]::new));
    WebSocketFrameScanner scanner = new WebSocketFrameScanner(true);

    List<Integer> boundaries = new ArrayList<>();
    for (int i = 0; i < stream.length(); i++) {
      scanner.advance(stream.getBuffer(i, i + 1), 0);
      if (scanner.atBoundary()) boundaries.add(i + 1);
    }

    assertThat(boundaries).isEqualTo(frameEnds(frames));
    assertThat(scanner.closeSeen()).isTrue();
  }

  @Test void seesACloseFromItsFirstTwoBytes() {
    WebSocketFrameScanner scanner = new WebSocketFrameScanner(false);
    Buffer close = TestFrames.server(0x88, new byte[] {0x03, (byte) 0xe8});

    scanner.advance(close.getBuffer(0, 2), 0);

    assertThat(scanner.closeSeen()).isTrue();
    assertThat(scanner.atBoundary()).isFalse();
  }

  @Test void givesUpOnAMaskedServerFrame() {
    assertInvalid(false, TestFrames.client(0x81, ascii("masked")), "masked server frame");
  }

  @Test void givesUpOnAnUnmaskedClientFrame() {
    assertInvalid(true, TestFrames.server(0x81, ascii("bare")), "unmasked client frame");
  }

  @Test void givesUpOnReservedOpcodes() {
    for (int opcode : new int[] {3, 7, 0xB, 0xF}) {
      assertInvalid(false, TestFrames.server(0x80 | opcode, ascii("x")), "reserved opcode " + opcode);
    }
  }

  @Test void givesUpOnA64BitLengthWithTheTopBitSet() {
    Buffer frame = Buffer.buffer().appendByte((byte) 0x82).appendByte((byte) 127).appendLong(Long.MIN_VALUE + 5);
    assertInvalid(false, frame, "64-bit length with the top bit set");
  }

  @Test void givesUpOnAFragmentedOrLongControlFrame() {
    assertInvalid(false, TestFrames.server(0x09, ascii("x")), "fragmented or long control frame");
    assertInvalid(false, TestFrames.server(0x89, filled(126)), "fragmented or long control frame");
  }

  @Test void staysInvalidAndConsumesEverythingAfterwards() {
    WebSocketFrameScanner scanner = new WebSocketFrameScanner(false);
    scanner.advance(TestFrames.client(0x81, ascii("masked")), 0);
    Buffer valid = TestFrames.server(0x81, ascii("fine"));

    assertThat(scanner.advance(valid, 0)).isEqualTo(valid.length());
    assertThat(scanner.atBoundary()).isFalse();
    assertThat(scanner.invalid()).isEqualTo("masked server frame");
  }

  private static void assertInvalid(boolean fromClient, Buffer frame, String why) {
    WebSocketFrameScanner scanner = new WebSocketFrameScanner(fromClient);
    Buffer stream = concat(fromClient ? TestFrames.client(0x81, ascii("ok")) : TestFrames.server(0x81, ascii("ok")),
        frame);

    assertThat(scanner.advance(stream, 0)).isLessThan(stream.length());
    assertThat(scanner.atBoundary()).isTrue();
    assertThat(scanner.advance(stream, stream.length() - frame.length())).isEqualTo(stream.length());
    assertThat(scanner.invalid()).isEqualTo(why);
    assertThat(scanner.atBoundary()).isFalse();
  }

  private static List<Integer> frameEnds(List<Buffer> frames) {
    List<Integer> ends = new ArrayList<>();
    int end = 0;
    for (Buffer frame : frames) ends.add(end += frame.length());
    return ends;
  }
}
