package io.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.core.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private final RecordingEvents events = new RecordingEvents();

  @Test
  void writesOneValidJsonLinePerRecordInOrderFromSeveralThreads() throws Exception {
    AccessLogWriter writer = AccessLogWriter.open(tmp, events);
    int threads = 4;
    int perThread = 2_500;
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String prefix = "t" + t + "-";
      producers.add(new Thread(() -> {
        for (int i = 0; i < perThread; i++) writer.write(record(prefix + i));
      }));
    }
    producers.forEach(Thread::start);
    for (Thread producer : producers) producer.join();
    writer.close();

    List<JsonNode> lines = readLines(writer.file());
    assertThat(lines).hasSize(threads * perThread);
    Map<String, Integer> lastSeen = new HashMap<>();
    for (JsonNode line : lines) {
      String[] id = line.get("request_id").asText().split("-");
      int previous = lastSeen.getOrDefault(id[0], -1);
      assertThat(Integer.parseInt(id[1])).as("order of %s", id[0]).isEqualTo(previous + 1);
      lastSeen.put(id[0], previous + 1);
    }
    assertThat(events.dropped).hasValue(0);
    assertThat(events.writeFailures).hasValue(0);
  }

  @Test
  void writesTenThousandRecordsQuicklyAndInOrder() throws Exception {
    long started = System.nanoTime();
    AccessLogWriter writer = AccessLogWriter.open(tmp, events);
    for (int i = 0; i < 10_000; i++) {
      assertThat(writer.write(record("r" + i))).isTrue();
    }
    writer.close();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    List<JsonNode> lines = readLines(writer.file());
    assertThat(lines).hasSize(10_000);
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i).get("request_id").asText()).isEqualTo("r" + i);
    }
    assertThat(took).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void closeWritesEverythingStillQueued() throws Exception {
    AccessLogWriter writer = new AccessLogWriter(tmp, events, 1_000, Duration.ofMillis(50), Duration.ofSeconds(5));
    for (int i = 0; i < 1_000; i++) writer.write(record("q" + i));
    writer.start();
    writer.close();

    assertThat(readLines(writer.file())).hasSize(1_000);
  }

  @Test
  void dropsAndCountsRecordsWhenTheQueueIsFull() throws Exception {
    AccessLogWriter writer = new AccessLogWriter(tmp, events, 10, Duration.ofMillis(50), Duration.ofSeconds(5));
    List<Boolean> accepted = new ArrayList<>();
    for (int i = 0; i < 15; i++) accepted.add(writer.write(record("f" + i)));

    assertThat(accepted.subList(0, 10)).containsOnly(true);
    assertThat(accepted.subList(10, 15)).containsOnly(false);
    assertThat(events.dropped).hasValue(5);
    assertThat(writer.droppedCount()).isEqualTo(5);
    assertThat(writer.healthy()).isFalse();
    assertThat(events.healthChanges).containsExactly(false);

    writer.start();
    writer.close();
    assertThat(readLines(writer.file())).extracting(n -> n.get("request_id").asText())
        .containsExactly("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9");
  }

  @Test
  void countsDroppedRecordsInTheGatewayMetrics() {
    GatewayMetrics metrics = new GatewayMetrics();
    AccessLogWriter writer = new AccessLogWriter(tmp, metrics, 1, Duration.ofMillis(50), Duration.ofSeconds(5));
    writer.write(record("a"));
    writer.write(record("b"));
    writer.write(record("c"));

    assertThat(metrics.scrape()).contains("gatehouse_access_log_dropped_total 2");
    writer.close();
  }

  @Test
  void dropsAndCountsRecordsWrittenAfterClose() throws Exception {
    AccessLogWriter writer = AccessLogWriter.open(tmp, events);
    writer.write(record("before"));
    writer.close();

    assertThat(writer.write(record("after"))).isFalse();
    assertThat(events.dropped).hasValue(1);
    writer.close(); // a second close is harmless
    assertThat(readLines(writer.file())).extracting(n -> n.get("request_id").asText()).containsExactly("before");
  }

  @Test
  void countsWriteErrorsWithoutThrowingAndResumesWithNothingLostOnceTheDirectoryIsFixed() throws Exception {
    Path dir = tmp.resolve("audit");
    Files.writeString(dir, "a file where the audit directory should be");
    AccessLogWriter writer = new AccessLogWriter(dir, events, 1_000, Duration.ofMillis(50), Duration.ofSeconds(5));
    writer.start();

    for (int i = 0; i < 3; i++) assertThat(writer.write(record("e" + i))).isTrue();
    await(() -> events.writeFailures.get() >= 2);
    assertThat(writer.healthy()).isFalse();
    assertThat(events.healthChanges).containsExactly(false);

    Files.delete(dir);
    await(writer::healthy);
    for (int i = 3; i < 5; i++) writer.write(record("e" + i));
    writer.close();

    assertThat(readLines(writer.file())).extracting(n -> n.get("request_id").asText())
        .containsExactly("e0", "e1", "e2", "e3", "e4");
    assertThat(events.healthChanges).containsExactly(false, true);
    assertThat(events.dropped).hasValue(0);
  }

  @Test
  void givesUpAndCountsWhatIsLeftWhenTheDiskStillFailsAtClose() throws Exception {
    Path dir = tmp.resolve("audit");
    Files.writeString(dir, "a file where the audit directory should be");
    AccessLogWriter writer = new AccessLogWriter(dir, events, 1_000, Duration.ofMillis(50), Duration.ofMillis(300));
    writer.start();
    for (int i = 0; i < 3; i++) writer.write(record("lost" + i));
    await(() -> events.writeFailures.get() >= 1);

    long started = System.nanoTime();
    writer.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(events.dropped).hasValue(3);
    assertThat(writer.droppedCount()).isEqualTo(3);
    assertThat(Files.isRegularFile(dir)).isTrue();
  }

  @Test
  void createsAMissingDirectory() throws Exception {
    Path dir = tmp.resolve("var/log/gatehouse");
    AccessLogWriter writer = AccessLogWriter.open(dir, events);
    writer.write(record("x"));
    writer.close();

    assertThat(writer.file()).isEqualTo(dir.resolve("access.jsonl"));
    assertThat(readLines(writer.file())).hasSize(1);
  }

  @Test
  void appendsToAnExistingLog() throws Exception {
    AccessLogWriter first = AccessLogWriter.open(tmp, events);
    first.write(record("old"));
    first.close();
    AccessLogWriter second = AccessLogWriter.open(tmp, events);
    second.write(record("new"));
    second.close();

    assertThat(readLines(second.file())).extracting(n -> n.get("request_id").asText()).containsExactly("old", "new");
  }

  @Test
  void drainsOnADaemonThreadNamedForTheAuditWriter() {
    AccessLogWriter writer = AccessLogWriter.open(tmp, events);
    try {
      assertThat(Thread.getAllStackTraces().keySet())
          .anySatisfy(t -> {
            assertThat(t.getName()).isEqualTo(AccessLogWriter.THREAD_NAME);
            assertThat(t.isDaemon()).isTrue();
          });
    } finally {
      writer.close();
    }
  }

  private static AccessRecord record(String requestId) {
    return new AccessRecord(Instant.now(), requestId, "editor", "127.0.0.1", null, "GET", "/rest/login", null, 200,
        0, 10, 42, Reason.NONE, null, "127.0.0.1:5678", null, "test-replica");
  }

  private static List<JsonNode> readLines(Path file) throws IOException {
    String content = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(content).endsWith("\n");
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : content.split("\n")) nodes.add(JSON.readTree(line));
    return nodes;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** Records what the writer reports, as the metrics and a fail-closed policy would see it. */
  private static final class RecordingEvents implements AccessLogEvents {
    final AtomicInteger dropped = new AtomicInteger();
    final AtomicInteger writeFailures = new AtomicInteger();
    final List<Boolean> healthChanges = new CopyOnWriteArrayList<>();

    @Override public void accessLogDropped() {
      dropped.incrementAndGet();
    }

    @Override public void accessLogWriteFailed() {
      writeFailures.incrementAndGet();
    }

    @Override public void accessLogHealthChanged(boolean healthy) {
      healthChanges.add(healthy);
    }
  }
}
