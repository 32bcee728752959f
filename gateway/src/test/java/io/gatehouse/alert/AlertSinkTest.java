package io.gatehouse.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.LogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertSinkTest {
  @Test
  void writesAnAlertEntryAndCountsTheAlertByTypeAndRoute() {
    List<AuditEvent> audit = new ArrayList<>();
    RecordingAlertEvents events = new RecordingAlertEvents();
    AlertSink sink = new AlertSink(audit::add, events, Optional.empty());
    Instant time = Instant.parse("2026-03-02T10:15:30Z");

    sink.accept(new Alert(AlertType.NEW_NETWORK, time, "editor", "198.51.100.0/24", "alice",
        "reached the editor from 198.51.100.0/24", 1L, null));
    sink.accept(new Alert(AlertType.REFUSAL_SPIKE, time, null, null, null, "20 refusals", 20L, 20L));

    assertThat(audit).hasSize(2).allSatisfy(e -> assertThat(e.kind()).isEqualTo("alert"));
    LogEvent first = (LogEvent) audit.get(0);
    assertThat(first.time()).isEqualTo(time);
    assertThat(first.fields()).containsEntry("type", "new_network").containsEntry("route", "editor")
        .containsEntry("source", "198.51.100.0/24").containsEntry("subject", "alice").containsEntry("count", 1L)
        .doesNotContainKey("threshold").containsKey("id");
    assertThat(((LogEvent) audit.get(1)).fields()).containsOnlyKeys("id", "type", "detail", "count", "threshold");
    assertThat(events.raised).containsExactly("new_network/editor", "refusal_spike/none");
  }

  @Test
  void givesTheAuditEntryAndThePostTheSameId() throws Exception {
    List<AuditEvent> audit = new ArrayList<>();
    RecordingAlertEvents events = new RecordingAlertEvents();
    try (AlertReceiver receiver = new AlertReceiver(n -> 200)) {
      AlertWebhook webhook = new AlertWebhook(receiver.url(), new AlertSignature(new byte[32]), events,
          java.time.Clock.systemUTC(), List.of(), java.time.Duration.ofSeconds(5), 10);
      AlertSink sink = new AlertSink(audit::add, events, Optional.of(webhook));
      sink.accept(new Alert(AlertType.AUTH_FAILURES_USER, Instant.now(), "editor", null, "bob", "5 failures", 5L, 5L));
      sink.close();

      Map<String, Object> entry = ((LogEvent) audit.get(0)).fields();
      assertThat(receiver.posts()).singleElement()
          .satisfies(p -> assertThat(p.body()).contains("\"id\":\"" + entry.get("id") + "\""));
    }
  }
}
