package io.gatehouse.audit.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.scrub.ScrubPolicy;
import io.gatehouse.audit.scrub.Scrubber;
import io.gatehouse.core.BodyBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyTapTest {
  private static final byte[] KEY = "a test key of thirty-two bytes!!".getBytes(StandardCharsets.US_ASCII);
  private static final Scrubber SCRUBBER = new Scrubber(new ScrubPolicy(List.of(), List.of(), 4096, KEY));

  private static BodyTap tap(boolean keep, int maxPayload, BodyBudget budget) {
    return new BodyTap(BodyPart.REQUEST, "application/json", null, keep, maxPayload, SCRUBBER.newHmac(),
        budget.reservation());
  }

  private static byte[] random(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }

  @Test
  void countsAndHashesEveryByteButCopiesOnlyTheFirstMaxPayload() {
    byte[] body = random(10_000);
    BodyBudget budget = new BodyBudget(1 << 20);
    BodyTap tap = tap(true, 4096, budget);
    for (int at = 0; at < body.length; at += 700) {
      ByteBuf chunk = Unpooled.wrappedBuffer(body, at, Math.min(700, body.length - at));
      tap.take(chunk);
      assertThat(chunk.readerIndex()).as("the forwarder still sends the whole chunk").isZero();
    }
    CapturedBody captured = tap.finish();
    assertThat(captured.size()).isEqualTo(body.length);
    assertThat(captured.length()).isEqualTo(4096);
    assertThat(Arrays.copyOf(captured.prefix(), captured.length())).isEqualTo(Arrays.copyOf(body, 4096));
    assertThat(captured.hmac()).as("the same HMAC as the scrubber takes over the whole body")
        .isEqualTo(SCRUBBER.scrub("application/octet-stream", body).hmac());
    assertThat(budget.used()).as("the copy is held until it has been scrubbed").isEqualTo(4096);
    assertThat(captured.budgetSpent()).isFalse();
  }

  @Test
  void aCompositeBufferIsHashedLikeTheSameBytesInOne() {
    byte[] body = random(3000);
    CompositeByteBuf composite = Unpooled.compositeBuffer();
    composite.addComponents(true, Unpooled.wrappedBuffer(body, 0, 1000), Unpooled.wrappedBuffer(body, 1000, 2000));
    BodyTap tap = tap(true, 4096, new BodyBudget(1 << 20));
    tap.take(composite);
    CapturedBody captured = tap.finish();
    assertThat(captured.hmac()).isEqualTo(SCRUBBER.scrub("application/octet-stream", body).hmac());
    assertThat(Arrays.copyOf(captured.prefix(), captured.length())).isEqualTo(body);
  }

  @Test
  void aBodyThatIsNeverReadIsHashedAndCountedButNotCopied() {
    BodyBudget budget = new BodyBudget(1 << 20);
    BodyTap tap = tap(false, 4096, budget);
    tap.take(Unpooled.wrappedBuffer(random(5000)));
    CapturedBody captured = tap.finish();
    assertThat(captured.length()).isZero();
    assertThat(captured.size()).isEqualTo(5000);
    assertThat(budget.used()).isZero();
  }

  @Test
  void copyingStopsWhereTheBudgetEndsAndTheBodyIsStillCountedWhole() {
    BodyBudget budget = new BodyBudget(2000);
    BodyTap tap = tap(true, 64 * 1024, budget);
    for (int i = 0; i < 10; i++) tap.take(Unpooled.wrappedBuffer(random(1000)));
    CapturedBody captured = tap.finish();
    assertThat(captured.budgetSpent()).isTrue();
    assertThat(captured.length()).isLessThanOrEqualTo(2000).isPositive();
    assertThat(captured.size()).isEqualTo(10_000);
    assertThat(budget.used()).isLessThanOrEqualTo(2000);
  }

  @Test
  void theCopyGrowsWithWhatArrivesNotWithTheLimit() {
    BodyBudget budget = new BodyBudget(1 << 30);
    BodyTap tap = tap(true, 16 << 20, budget);
    tap.take(Unpooled.wrappedBuffer(random(10)));
    assertThat(budget.used()).as("a 10-byte body holds about a kilobyte, not max_payload").isLessThanOrEqualTo(1024);
  }
}
