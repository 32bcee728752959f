package io.gatehouse.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertWebhookTest {
  private static final byte[] SECRET = "alert-secret-0123456789abcdef0123456789".getBytes(StandardCharsets.UTF_8);
  private static final Alert ALERT = new Alert(AlertType.AUTH_FAILURES_SOURCE, Instant.parse("2026-03-02T10:15:30Z"),
      "public-api", "203.0.113.7", null, "20 failed authentications from 203.0.113.7 within 60 s", 20L, 20L);
  /** Short waits between attempts, so the test takes milliseconds; the production ones are 1 s and 5 s. */
  private static final List<Duration> FAST_BACKOFF = List.of(Duration.ofMillis(20), Duration.ofMillis(50));

  private final RecordingAlertEvents events = new RecordingAlertEvents();
  private AlertReceiver receiver;
  private AlertWebhook webhook;

  @AfterEach
  void stop() {
    if (webhook != null) webhook.close(Duration.ofSeconds(2));
    if (receiver != null) receiver.close();
  }

  private AlertWebhook webhook(int capacity) {
    return new AlertWebhook(receiver.url(), new AlertSignature(SECRET), events, Clock.systemUTC(), FAST_BACKOFF,
        Duration.ofSeconds(5), capacity);
  }

  @Test
  void postsTheAlertAsJsonSignedSoThatTheReceiverCanVerifyIt() throws Exception {
    receiver = new AlertReceiver(n -> 200);
    webhook = webhook(10);

    assertThat(webhook.send(ALERT, "id-1")).isTrue();
    await(() -> events.deliveries.contains(AlertEvents.DELIVERED));

    AlertReceiver.Post post = receiver.posts().get(0);
    String timestamp = post.header("X-Gatehouse-Timestamp");
    assertThat(Long.parseLong(timestamp))
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
    // Recomputed here the way a receiver would, without the gateway's own class.
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    String expected = "sha256=" + HexFormat.of().formatHex(
        mac.doFinal((timestamp + "." + post.body()).getBytes(StandardCharsets.UTF_8)));
    assertThat(post.header("X-Gatehouse-Signature")).isEqualTo(expected);
    assertThat(new AlertSignature(SECRET).verifies(timestamp, post.body(), expected)).isTrue();
    assertThat(new AlertSignature(SECRET).verifies(timestamp, post.body() + " ", expected)).isFalse();
    assertThat(new AlertSignature(SECRET).verifies(Long.toString(Long.parseLong(timestamp) + 1), post.body(), expected))
        .isFalse();
    assertThat(post.header("Content-Type")).isEqualTo("application/json");
    JsonNode json = new ObjectMapper().readTree(post.body());
    assertThat(json.get("id").asText()).isEqualTo("id-1");
    assertThat(json.get("type").asText()).isEqualTo("auth_failures_source");
    assertThat(json.get("route").asText()).isEqualTo("public-api");
    assertThat(json.get("source").asText()).isEqualTo("203.0.113.7");
    assertThat(json.has("subject")).isFalse();
    assertThat(json.get("count").asLong()).isEqualTo(20);
    assertThat(json.get("threshold").asLong()).isEqualTo(20);
    assertThat(json.get("time").asText()).isEqualTo("2026-03-02T10:15:30Z");
    assertThat(events.deliveries).containsExactly(AlertEvents.DELIVERED);
  }

  @Test
  void triesAgainAfterA500AndSucceedsWithAFreshSignature() throws Exception {
    receiver = new AlertReceiver(n -> n == 0 ? 500 : 204);
    webhook = webhook(10);

    webhook.send(ALERT, "id-2");
    await(() -> events.deliveries.contains(AlertEvents.DELIVERED));

    assertThat(receiver.posts()).hasSize(2).allSatisfy(post -> assertThat(new AlertSignature(SECRET)
        .verifies(post.header("X-Gatehouse-Timestamp"), post.body(), post.header("X-Gatehouse-Signature"))).isTrue());
    assertThat(receiver.posts().get(1).body()).isEqualTo(receiver.posts().get(0).body());
    assertThat(events.deliveries).containsExactly(AlertEvents.DELIVERED);
  }

  @Test
  void givesUpAfterThreeAttemptsAndCountsIt() throws Exception {
    receiver = new AlertReceiver(n -> 500);
    webhook = webhook(10);

    webhook.send(ALERT, "id-3");
    await(() -> events.deliveries.contains(AlertEvents.FAILED));
    Thread.sleep(200); // no fourth attempt comes

    assertThat(receiver.posts()).hasSize(3);
    assertThat(events.deliveries).containsExactly(AlertEvents.FAILED);
  }

  @Test
  void givesUpOnAReceiverThatCannotBeReached() throws Exception {
    receiver = new AlertReceiver(n -> 200);
    java.net.URI closed = receiver.url();
    receiver.close();
    webhook = new AlertWebhook(closed, new AlertSignature(SECRET), events, Clock.systemUTC(), FAST_BACKOFF,
        Duration.ofSeconds(2), 10);

    webhook.send(ALERT, "id-4");
    await(() -> events.deliveries.contains(AlertEvents.FAILED));

    assertThat(events.deliveries).containsExactly(AlertEvents.FAILED);
  }

  @Test
  void dropsAndCountsAlertsBeyondItsQueue() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    receiver = new AlertReceiver(n -> {
      try {
        answer.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 200;
    });
    webhook = webhook(3);

    int accepted = 0;
    for (int i = 0; i < 8; i++) if (webhook.send(ALERT, "id-" + i)) accepted++;
    answer.countDown();
    await(() -> events.deliveries.stream().filter(AlertEvents.DELIVERED::equals).count() == 3);

    assertThat(accepted).isEqualTo(3);
    assertThat(events.deliveries.stream().filter(AlertEvents.DROPPED::equals).count()).isEqualTo(5);
    assertThat(receiver.posts()).hasSize(3);
  }

  @Test
  void dropsAlertsOnceClosedAndLetsThoseAcceptedFinish() throws Exception {
    receiver = new AlertReceiver(n -> n == 0 ? 503 : 200);
    webhook = webhook(10);

    webhook.send(ALERT, "id-5");
    webhook.close(); // a reload: what was accepted is still tried
    assertThat(webhook.send(ALERT, "id-6")).isFalse();
    await(() -> events.deliveries.contains(AlertEvents.DELIVERED));

    assertThat(events.deliveries).containsExactlyInAnyOrder(AlertEvents.DROPPED, AlertEvents.DELIVERED);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out");
      Thread.sleep(10);
    }
  }
}
