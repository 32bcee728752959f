package io.gatehouse.audit.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.canonical.ByteSink;
import io.gatehouse.audit.canonical.CanonicalFields;
import io.gatehouse.audit.log.AuditLog;
import io.gatehouse.audit.scrub.ScrubPolicy;
import io.gatehouse.audit.scrub.ScrubResult;
import io.gatehouse.audit.scrub.Scrubber;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadPiecesTest {
  private static final byte[] KEY = "a test key of thirty-two bytes!!".getBytes(StandardCharsets.US_ASCII);

  @Test
  void splitsIntoPiecesOfTheLongestStringAnEntryKeepsWhole() {
    assertThat(PayloadPieces.split("")).isEmpty();
    assertThat(PayloadPieces.split("x".repeat(4096))).hasSize(1);
    List<String> pieces = PayloadPieces.split("x".repeat(4097));
    assertThat(pieces).extracting(String::length).containsExactly(4096, 1);
    assertThat(PayloadPieces.PIECE_CHARS).isEqualTo(CanonicalFields.MAX_STRING);
  }

  @Test
  void neverEndsAPieceBetweenTheHalvesOfASurrogatePair() {
    String text = "x".repeat(4095) + "\uD83D\uDE00" + "y";
    List<String> pieces = PayloadPieces.split(text);
    assertThat(pieces.get(0)).hasSize(4095);
    assertThat(pieces.get(1)).startsWith("\uD83D\uDE00");
    assertThat(String.join("", pieces)).isEqualTo(text);
  }

  @Test
  void theWorstPieceStillFitsInOneEntry() {
    // Control characters are escaped to six bytes each: the longest a piece can encode to.
    String text = "\u0001".repeat(4096 * 3);
    Scrubber scrubber = new Scrubber(new ScrubPolicy(List.of(), List.of(), 1 << 20, KEY));
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ScrubResult result = scrubber.scrub("text/plain", body);
    CapturedBody captured = new CapturedBody(BodyPart.REQUEST, "text/plain", null, body, body.length, body.length,
        result.hmac(), false);
    List<PayloadEntry> entries = PayloadPieces.of(Instant.EPOCH, "req-1", "r", captured, result);
    assertThat(entries).hasSize(3);
    for (PayloadEntry entry : entries) {
      CanonicalFields fields = new CanonicalFields();
      entry.writeFields(fields);
      ByteSink sink = new ByteSink(64);
      fields.writeTo(sink);
      assertThat(sink.size()).isLessThan(AuditLog.MAX_ENTRY - 512);
      assertThat(new String(sink.toByteArray(), StandardCharsets.UTF_8)).doesNotContain("cut");
    }
  }

  @Test
  void aBodyWithNothingToShowIsOneEntryWithoutText() {
    Scrubber scrubber = new Scrubber(new ScrubPolicy(List.of(), List.of(), 1 << 20, KEY));
    byte[] body = {1, 2, 3};
    ScrubResult result = scrubber.scrub("application/octet-stream", body);
    CapturedBody captured = new CapturedBody(BodyPart.RESPONSE, "application/octet-stream; name=x", null, body, 0, 3,
        result.hmac(), false);
    List<PayloadEntry> entries = PayloadPieces.of(Instant.EPOCH, "req-2", "r", captured, result);
    assertThat(entries).singleElement().satisfies(e -> {
      assertThat(e.omitted()).isEqualTo("type");
      assertThat(e.scrubbed()).isNull();
      assertThat(e.contentType()).isEqualTo("application/octet-stream");
      assertThat(e.pieces()).isEqualTo(1);
      assertThat(e.truncatedAt()).isEqualTo(-1);
    });
  }
}
