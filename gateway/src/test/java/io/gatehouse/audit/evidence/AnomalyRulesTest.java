package io.gatehouse.audit.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AnomalyRulesTest {
  @Test
  void namesAnAlertBySourceNetworkThenSubjectThenRoute() throws Exception {
    AnomalyRules rules = new AnomalyRules(note -> {});
    ObjectMapper json = new ObjectMapper();
    String common = "\"kind\":\"alert\",\"time\":\"2026-03-02T10:00:00Z\",\"replica\":\"r1\",\"route\":\"editor\"";
    rules.entry(Entry.of(json.readTree("{" + common + ",\"type\":\"new_network\",\"source\":\"198.51.100.0/24\","
        + "\"subject\":\"alice\"}")).orElseThrow());
    rules.entry(Entry.of(json.readTree("{" + common + ",\"type\":\"auth_failures_user\",\"subject\":\"bob\"}"))
        .orElseThrow());
    rules.entry(Entry.of(json.readTree("{" + common + ",\"type\":\"refusal_spike\"}")).orElseThrow());

    assertThat(rules.result().found()).extracting(EvidenceReport.Anomaly::source)
        .containsExactlyInAnyOrder("198.51.100.0/24", "bob", "editor");
  }
}
