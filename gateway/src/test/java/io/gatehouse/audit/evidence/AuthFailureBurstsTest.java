package io.gatehouse.audit.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.audit.evidence.EvidenceReport.Anomaly;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code auth_failure_burst} rule at its edges: the threshold, the window, and when bursts are one or two. */
class AuthFailureBurstsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-03-10T09:00:00Z");
  private final List<String> notes = new ArrayList<>();
  private final AuthFailureBursts rule = new AuthFailureBursts(notes::add);

  private void refuse(String source, Instant time, String reason) {
    ObjectNode node = JSON.createObjectNode().put("seq", 1).put("kind", "request").put("time", time.toString())
        .put("client_ip", source).put("decision", "refuse").put("reason", reason);
    rule.entry(Entry.of(node).orElseThrow());
  }

  @Test
  void twentyRefusalsInTenMinutesAreNotABurstAndTwentyOneAre() {
    for (int i = 0; i < 20; i++) refuse("a", T0.plusSeconds(i * 29), "unauthenticated");
    for (int i = 0; i < 21; i++) refuse("b", T0.plusSeconds(i * 29), "signature_invalid");
    assertThat(rule.result()).extracting(Anomaly::source, Anomaly::count).containsExactly(tuple("b", 21L));
  }

  @Test
  void theWindowIsTenMinutesExactlyNotMore() {
    // 21 refusals spread over exactly ten minutes: the first and the last are not within one window.
    for (int i = 0; i < 21; i++) refuse("a", T0.plusSeconds(i * 30), "forbidden");
    assertThat(rule.result()).isEmpty();
  }

  @Test
  void onlyRefusedAuthenticationsCount() {
    for (int i = 0; i < 30; i++) refuse("a", T0.plusSeconds(i), i % 2 == 0 ? "rate_limited" : "no_route");
    for (int i = 0; i < 30; i++) refuse("b", T0.plusSeconds(i), List.copyOf(AuthFailureBursts.REASONS).get(i % 5));
    assertThat(rule.result()).extracting(Anomaly::source).containsExactly("b");
  }

  @Test
  void overlappingWindowsAreOneBurstAndAQuietHourStartsAnother() {
    for (int i = 0; i < 60; i++) refuse("a", T0.plusSeconds(i * 20), "unauthenticated"); // 20 minutes, 3 per minute
    for (int i = 0; i < 25; i++) refuse("a", T0.plusSeconds(3_600 + i), "sso_required");
    List<Anomaly> found = rule.result();
    assertThat(found).extracting(Anomaly::from, Anomaly::to, Anomaly::count).containsExactly(
        tuple(T0, T0.plusSeconds(59 * 20), 60L),
        tuple(T0.plusSeconds(3_600), T0.plusSeconds(3_624), 25L));
    assertThat(found.get(0).detail()).startsWith("60 refused authentications, at most 30 within 10 minutes");
    assertThat(found.get(1).detail()).endsWith("sso_required 25");
  }
}
