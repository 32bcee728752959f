package io.gatehouse.guard.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
  private static final long SECOND = 1_000_000_000L;

  /**
   * Random records, forgets and clock steps against a plain map of deadlines, with a bound never reached: every
   * answer must be the map's. Enough keys that the arrays grow several times and the ring wraps around.
   */
  @Test
  void answersAsAMapOfDeadlinesWouldBelowTheBound() {
    SplittableRandom random = new SplittableRandom(42);
    ReplayWindow window = new ReplayWindow(1 << 20);
    Map<List<Long>, Long> model = new HashMap<>();
    List<long[]> recorded = new ArrayList<>();
    long now = -5 * SECOND; // nanoTime may be negative; deadlines are compared by difference
    for (int step = 0; step < 300_000; step++) {
      int op = random.nextInt(10);
      long[] key = op < 4 && !recorded.isEmpty() ? recorded.get(random.nextInt(recorded.size())) : newKey(random);
      if (op == 9) {
        window.remove(key[0], key[1]);
        model.remove(List.of(key[0], key[1]));
        continue;
      }
      long ttl = (1 + random.nextInt(30)) * SECOND;
      Long deadline = model.get(List.of(key[0], key[1]));
      boolean expected = deadline == null || deadline - now <= 0;
      assertThat(window.recordIfAbsent(key[0], key[1], ttl, now)).as("step %d", step).isEqualTo(expected);
      if (expected) {
        model.put(List.of(key[0], key[1]), now + ttl);
        recorded.add(key);
      }
      now += random.nextInt(2000) * 100_000L; // up to 0.2 s a step
    }
    assertThat(recorded.size()).isGreaterThan(100_000);
  }

  @Test
  void keysSharingAHomeSlotSurviveTheRemovalOfAnyOfThem() {
    ReplayWindow window = new ReplayWindow(1000);
    // The initial index has 2048 slots: low values 2048 apart with high 0 all start probing at slot 0.
    for (int i = 0; i < 50; i++) assertThat(window.recordIfAbsent(0, i * 2048L, SECOND, 0)).isTrue();
    for (int removed = 0; removed < 50; removed += 3) window.remove(0, removed * 2048L);
    for (int i = 0; i < 50; i++) {
      boolean wasRemoved = i % 3 == 0;
      assertThat(window.recordIfAbsent(0, i * 2048L, SECOND, 1)).as("key %d", i).isEqualTo(wasRemoved);
    }
  }

  @Test
  void theBoundDropsTheOldestAndKeepsTheNewest() {
    ReplayWindow window = new ReplayWindow(3000);
    for (long i = 0; i < 10_000; i++) window.recordIfAbsent(i, ~i, 600 * SECOND, i);
    assertThat(window.size()).isEqualTo(3000);
    for (long i = 7000; i < 10_000; i++) assertThat(window.recordIfAbsent(i, ~i, 600 * SECOND, 10_000)).isFalse();
    assertThat(window.recordIfAbsent(6999, ~6999L, 600 * SECOND, 10_000)).as("dropped by the bound").isTrue();
  }

  @Test
  void expiredEntriesGiveBackTheirPlaces() {
    ReplayWindow window = new ReplayWindow(100);
    for (long i = 0; i < 100; i++) window.recordIfAbsent(i, i, SECOND, 0);
    window.recordIfAbsent(1000, 1000, SECOND, 2 * SECOND);
    assertThat(window.size()).isEqualTo(1);
  }

  private static long[] newKey(SplittableRandom random) {
    return new long[] {random.nextLong(), random.nextLong()};
  }
}
