package io.gatehouse.audit.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResendWindowTest {
  @Test
  void givesBackTheLatestBatchesInOrderUpToItsBytes() {
    ResendWindow window = new ResendWindow(25, Duration.ofMinutes(1));
    window.written(List.of(message(1, 10), message(2, 10)));
    window.written(List.of(message(3, 10)));
    window.written(List.of(message(4, 10)));

    // 40 bytes written, 25 kept: whole batches go, oldest first.
    assertThat(window.takeRecent()).extracting(m -> (int) m[0]).containsExactly(3, 4);
    assertThat(window.takeRecent()).as("taken means forgotten").isEmpty();
  }

  @Test
  void forgetsBatchesOlderThanItsAge() throws Exception {
    ResendWindow window = new ResendWindow(1_000, Duration.ofMillis(50));
    window.written(List.of(message(1, 10)));
    Thread.sleep(120);
    window.written(List.of(message(2, 10)));

    assertThat(window.takeRecent()).extracting(m -> (int) m[0]).containsExactly(2);
  }

  @Test
  void keepsItsOwnCopyOfTheBatchList() {
    ResendWindow window = new ResendWindow(1_000, Duration.ofMinutes(1));
    List<byte[]> batch = new ArrayList<>(List.of(message(1, 5)));
    window.written(batch);
    batch.clear();

    assertThat(window.takeRecent()).hasSize(1);
  }

  private static byte[] message(int id, int size) {
    byte[] message = new byte[size];
    message[0] = (byte) id;
    return message;
  }
}
