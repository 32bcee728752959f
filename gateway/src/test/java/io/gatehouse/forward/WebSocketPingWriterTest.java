package io.gatehouse.forward;

import static io.gatehouse.forward.TestFrames.ascii;
import static io.gatehouse.forward.TestFrames.concat;
import static io.gatehouse.forward.TestFrames.filled;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebSocketPingWriterTest {
  private static final Buffer PING = TestFrames.server(0x89, ascii("gatehouse-ping"));

  private final Buffer toClient = Buffer.buffer();
  private final AtomicInteger pings = new AtomicInteger();
  private final WebSocketPingWriter writer = new WebSocketPingWriter(toClient::appendBuffer, pings::incrementAndGet);

  @Test void pingsAtOnceWhenNothingIsInFlight() {
    Buffer hello = TestFrames.server(0x81, ascii("hello"));
    writer.relay(hello);

    writer.pingDue();

    assertThat(toClient).isEqualTo(concat(hello, PING));
    assertThat(pings).hasValue(1);
  }

  @Test void holdsThePingUntilTheFrameInFlightEnds() {
    Buffer big = TestFrames.server(0x82, filled(70_000));
    Buffer next = TestFrames.server(0x81, ascii("next"));
    writer.relay(big.getBuffer(0, 1000));

    writer.pingDue();
    assertThat(pings).hasValue(0);
    writer.relay(concat(big.getBuffer(1000, big.length()), next));

    assertThat(toClient).isEqualTo(concat(big, PING, next));
    assertThat(pings).hasValue(1);
  }

  @Test void holdsThePingUntilTheFrameEndsWhenFedByteByByte() {
    Buffer frames = concat(TestFrames.server(0x81, ascii("abc")), TestFrames.server(0x82, filled(300)));
    Buffer first = frames.getBuffer(0, 5);
    writer.relay(frames.getBuffer(0, 1));
    writer.pingDue();

    for (int i = 1; i < frames.length(); i++) writer.relay(frames.getBuffer(i, i + 1));

    assertThat(toClient).isEqualTo(concat(first, PING, frames.getBuffer(5, frames.length())));
  }

  @Test void pingsBetweenTheFragmentsOfAMessage() {
    Buffer start = TestFrames.server(0x01, ascii("frag-"));
    Buffer end = TestFrames.server(0x80, ascii("ment"));
    writer.relay(start);

    writer.pingDue();
    writer.relay(end);

    assertThat(toClient).isEqualTo(concat(start, PING, end));
  }

  @Test void neverPingsAfterN8nsClose() {
    Buffer close = TestFrames.server(0x88, new byte[] {0x03, (byte) 0xe8});
    writer.relay(close.getBuffer(0, 2));
    writer.pingDue();
    writer.relay(close.getBuffer(2, 4));
    writer.pingDue();

    assertThat(toClient).isEqualTo(close);
    assertThat(writer.pinging()).isFalse();
    assertThat(pings).hasValue(0);
  }

  @Test void stopsPingingAndRelaysUntouchedAfterAMaskedServerFrame() {
    Buffer masked = TestFrames.client(0x81, ascii("masked"));
    Buffer after = TestFrames.server(0x81, ascii("after"));
    writer.relay(masked);
    writer.pingDue();
    writer.relay(after);
    writer.pingDue();

    assertThat(toClient).isEqualTo(concat(masked, after));
    assertThat(writer.invalid()).isEqualTo("masked server frame");
    assertThat(pings).hasValue(0);
  }
}
