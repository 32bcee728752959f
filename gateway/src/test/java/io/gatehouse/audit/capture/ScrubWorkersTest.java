package io.gatehouse.audit.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScrubWorkersTest {
  @Test
  void runsWhatItTakesRefusesPastItsCapacityAndSurvivesAFailingTask() throws Exception {
    ScrubWorkers workers = new ScrubWorkers("test-scrub", 1, 3);
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    assertThat(workers.offer(() -> {
      running.countDown();
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    })).isTrue();
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(workers.offer(() -> {
      throw new IllegalStateException("a bug in one task");
    })).isTrue();
    assertThat(workers.offer(ran::incrementAndGet)).isTrue();
    assertThat(workers.offer(ran::incrementAndGet)).isTrue();
    assertThat(workers.offer(ran::incrementAndGet)).as("three wait already").isFalse();
    hold.countDown();
    assertThat(workers.close(5_000)).as("nothing left unrun").isZero();
    assertThat(ran).hasValue(2);
    assertThat(workers.offer(ran::incrementAndGet)).as("closed").isFalse();
  }

  @Test
  void startsNoThreadUntilTheFirstTask() throws Exception {
    ScrubWorkers workers = new ScrubWorkers("idle-scrub", 2, 8);
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("idle-scrub"));
    assertThat(workers.close(1_000)).isZero();
  }
}
