package io.gatehouse.forward;

import static io.gatehouse.forward.TestFrames.ascii;
import static io.gatehouse.forward.TestFrames.concat;
import static io.gatehouse.forward.TestFrames.filled;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class WebSocketPongFilterTest {
  private static final Buffer OUR_PONG = TestFrames.client(0x8A, ascii("gatehouse-ping"));
  private static final Buffer BEFORE = TestFrames.client(0x81, ascii("before"));
  private static final Buffer AFTER = TestFrames.client(0x82, filled(200));

  private final WebSocketPongFilter filter = new WebSocketPongFilter();

  @Test void dropsThePongAnsweringOurPingInOnePiece() {
    filter.pingSent();

    assertThat(filter.filter(concat(BEFORE, OUR_PONG, AFTER))).isEqualTo(concat(BEFORE, AFTER));
  }

  @Test void dropsThePongAnsweringOurPingFedByteByByte() {
    filter.pingSent();
    Buffer stream = concat(BEFORE, OUR_PONG, AFTER);

    assertThat(feedByteByByte(stream)).isEqualTo(concat(BEFORE, AFTER));
  }

  @Test void dropsOnlyAsManyPongsAsPingsWereSent() {
    filter.pingSent();

    assertThat(filter.filter(concat(OUR_PONG, OUR_PONG))).isEqualTo(OUR_PONG);
  }

  @Test void forwardsOurPayloadsPongWhenNoPingWasSent() {
    assertThat(filter.filter(OUR_PONG)).isEqualTo(OUR_PONG);
  }

  @Test void forwardsPongsAnsweringN8nsOwnPings() {
    filter.pingSent();
    Buffer n8nsPong = TestFrames.client(0x8A, new byte[0]);
    Buffer otherPong = TestFrames.client(0x8A, ascii("gatehouse-pinG"));
    Buffer stream = concat(n8nsPong, otherPong, OUR_PONG, AFTER);

    assertThat(feedByteByByte(stream)).isEqualTo(concat(n8nsPong, otherPong, AFTER));
  }

  @Test void forwardsAPongWithOurPayloadInsideAnotherFramesPayloadUntouched() {
    filter.pingSent();
    Buffer carrier = TestFrames.client(0x82, concat(OUR_PONG, OUR_PONG).getBytes());

    assertThat(filter.filter(carrier)).isSameAs(carrier);
  }

  @Test void relaysEverythingUntouchedOnceTheClientsStreamIsInvalid() {
    filter.pingSent();
    Buffer unmasked = TestFrames.server(0x81, ascii("bare"));
    Buffer stream = concat(unmasked, OUR_PONG);

    assertThat(filter.filter(stream)).isEqualTo(stream);
    assertThat(filter.invalid()).isEqualTo("unmasked client frame");
  }

  @Test void forwardsAHeldPongWhenTheStreamTurnsInvalidInsideIt() {
    filter.pingSent();
    Buffer broken = OUR_PONG.copy();
    broken.setByte(1, (byte) 0x0E); // mask bit cleared: no longer a client frame
    Buffer out = Buffer.buffer();

    out.appendBuffer(filter.filter(broken.getBuffer(0, 1)));
    out.appendBuffer(filter.filter(broken.getBuffer(1, broken.length())));

    assertThat(out).isEqualTo(broken);
  }

  private Buffer feedByteByByte(Buffer stream) {
    Buffer out = Buffer.buffer();
    for (int i = 0; i < stream.length(); i++) out.appendBuffer(filter.filter(stream.getBuffer(i, i + 1)));
    return out;
  }
}
