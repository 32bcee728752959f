package io.gatehouse.audit.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.scrub.ScrubPolicy;
import io.gatehouse.audit.scrub.Scrubber;
import io.gatehouse.core.BodyBudget;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.PayloadCapture;
import io.gatehouse.core.PayloadTaps;
import io.gatehouse.http.ClientRequest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PayloadRecorderTest {
  private static final byte[] KEY = "a test key of thirty-two bytes!!".getBytes(StandardCharsets.US_ASCII);
  private static final Scrubber SCRUBBER = new Scrubber(new ScrubPolicy(List.of(), List.of(), 64 * 1024, KEY));
  private static final byte[] BODY = "{\"ssn\":\"372-84-1956\",\"ok\":1}".getBytes(StandardCharsets.UTF_8);

  private final List<PayloadEntry> logged = new CopyOnWriteArrayList<>();
  private final List<String> outcomes = new CopyOnWriteArrayList<>();

  private PayloadRecorder recorder(Consumer<AuditEvent> log, long budget) {
    return new PayloadRecorder(log, new BodyBudget(budget), 1, (part, outcome, counts) -> outcomes.add(outcome));
  }

  private static Exchange exchange(String id) {
    HttpHeaders headers = new DefaultHttpHeaders().set("Content-Type", "application/json");
    ClientRequest request = (ClientRequest) Proxy.newProxyInstance(ClientRequest.class.getClassLoader(),
        new Class<?>[] {ClientRequest.class}, (proxy, m, args) -> {
          if (m.getName().equals("headers")) return headers;
          throw new UnsupportedOperationException(m.getName());
        });
    return new Exchange(id, request);
  }

  private static void deliver(PayloadRecorder recorder, Exchange exchange, byte[] body) {
    recorder.open(exchange, PayloadCapture.REQUEST, SCRUBBER);
    exchange.payloadTaps().request(Unpooled.wrappedBuffer(body));
    recorder.record(exchange);
  }

  @Test
  void aBodyIsScrubbedOnAWorkerAndItsCopyGivenBack() throws Exception {
    try (PayloadRecorder recorder = recorder(e -> logged.add((PayloadEntry) e), 1 << 20)) {
      Exchange exchange = exchange("req-1");
      deliver(recorder, exchange, BODY);
      assertThat(exchange.payloadTaps()).as("nothing is tapped after the exchange is recorded")
          .isSameAs(PayloadTaps.NONE);
      awaitUntil(() -> logged.size() == 1);
      PayloadEntry entry = logged.get(0);
      assertThat(entry.requestId()).isEqualTo("req-1");
      assertThat(entry.scrubbed()).isEqualTo("{\"ssn\":\"[REDACTED:SSN]\",\"ok\":1}");
      assertThat(entry.redactions()).containsEntry("SSN", 1L);
      assertThat(outcomes).containsExactly("scrubbed");
      awaitUntil(() -> recorder.bytesHeld() == 0);
    }
  }

  @Test
  void aRouteThatLogsNothingIsNotTapped() {
    try (PayloadRecorder recorder = recorder(e -> logged.add((PayloadEntry) e), 1 << 20)) {
      Exchange exchange = exchange("req-2");
      recorder.open(exchange, PayloadCapture.OFF, SCRUBBER);
      assertThat(exchange.payloadTaps()).isSameAs(PayloadTaps.NONE);
      recorder.record(exchange);
    }
    assertThat(logged).isEmpty();
  }

  @Test
  void whenNoWorkerCanTakeABodyItIsLoggedBySizeAndHmacAtOnce() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    Consumer<AuditEvent> log = e -> {
      if (Thread.currentThread().getName().startsWith(PayloadRecorder.THREAD_NAME)) {
        blocked.countDown();
        try {
          held.await();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      logged.add((PayloadEntry) e);
    };
    try (PayloadRecorder recorder = recorder(log, 1L << 30)) {
      deliver(recorder, exchange("first"), BODY);
      assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
      // The one worker is stuck; its queue takes 4,096 more, and the next is answered on the caller's thread.
      for (int i = 0; i < 4097; i++) deliver(recorder, exchange("q-" + i), BODY);
      assertThat(logged).singleElement().satisfies(busy -> {
        assertThat(busy.requestId()).isEqualTo("q-4096");
        assertThat(busy.omitted()).isEqualTo("busy");
        assertThat(busy.scrubbed()).isNull();
        assertThat(busy.size()).isEqualTo(BODY.length);
        assertThat(busy.hmac()).hasSize(64);
      });
      held.countDown();
      awaitUntil(() -> logged.size() == 4098);
      awaitUntil(() -> recorder.bytesHeld() == 0);
    }
    assertThat(outcomes).contains("busy").contains("scrubbed");
  }

  @Test
  void aBodyPastTheBudgetIsLoggedCutWhereTheCopyStopped() throws Exception {
    byte[] big = ("{\"notes\":\"" + "lorem ipsum ".repeat(400) + "\"}").getBytes(StandardCharsets.UTF_8);
    try (PayloadRecorder recorder = recorder(e -> logged.add((PayloadEntry) e), 2048)) {
      Exchange exchange = exchange("req-3");
      recorder.open(exchange, PayloadCapture.REQUEST, SCRUBBER);
      for (int at = 0; at < big.length; at += 512) {
        exchange.payloadTaps().request(Unpooled.wrappedBuffer(big, at, Math.min(512, big.length - at)));
      }
      recorder.record(exchange);
      awaitUntil(() -> logged.size() >= 1);
      PayloadEntry entry = logged.get(0);
      assertThat(entry.size()).isEqualTo(big.length);
      assertThat(entry.truncatedAt()).isPositive().isLessThanOrEqualTo(2048);
      assertThat(outcomes).containsExactly("truncated");
      awaitUntil(() -> recorder.bytesHeld() == 0);
    }
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(end);
      Thread.sleep(5);
    }
  }
}
