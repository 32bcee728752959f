package io.gatehouse.guard.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class LocalReplayStoreTest {
  private final AtomicLong nanos = new AtomicLong();
  private final LongSupplier ticker = nanos::get;

  @Test
  void firstDeliveryIsNewAndTheSecondIsSeen() {
    LocalReplayStore store = new LocalReplayStore(100, ticker);
    assertThat(store.firstSeen("k1", Duration.ofMinutes(10)).await()).isTrue();
    assertThat(store.firstSeen("k1", Duration.ofMinutes(10)).await()).isFalse();
    assertThat(store.firstSeen("k2", Duration.ofMinutes(10)).await()).isTrue();
  }

  @Test
  void eachKeyExpiresAfterItsOwnTtlAndSeeingItAgainDoesNotExtendIt() {
    LocalReplayStore store = new LocalReplayStore(100, ticker);
    store.firstSeen("short", Duration.ofSeconds(10)).await();
    store.firstSeen("long", Duration.ofMinutes(10)).await();
    advance(Duration.ofSeconds(9));
    assertThat(store.firstSeen("short", Duration.ofMinutes(10)).await()).isFalse();
    advance(Duration.ofSeconds(2));
    assertThat(store.firstSeen("short", Duration.ofSeconds(10)).await()).as("expired after 10 s").isTrue();
    assertThat(store.firstSeen("long", Duration.ofMinutes(10)).await()).as("still within 10 min").isFalse();
  }

  @Test
  void forgottenKeyIsNewAgain() {
    LocalReplayStore store = new LocalReplayStore(100, ticker);
    store.firstSeen("k", Duration.ofMinutes(1)).await();
    store.forget("k").await();
    assertThat(store.firstSeen("k", Duration.ofMinutes(1)).await()).isTrue();
  }

  @Test
  void staysWithinItsBound() {
    LocalReplayStore store = new LocalReplayStore(50, ticker);
    for (int i = 0; i < 1000; i++) store.firstSeen("k" + i, Duration.ofMinutes(10)).await();
    assertThat(store.size()).isLessThanOrEqualTo(50);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
