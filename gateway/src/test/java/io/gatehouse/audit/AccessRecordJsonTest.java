package io.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessRecordJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static AccessRecord sample(String requestId, Reason reason) {
    return new AccessRecord(Instant.parse("2026-11-23T09:15:02.120456Z"), requestId, "editor", "10.1.2.3",
        "user-7f3a", "GET", "/rest/workflows", "limit=10&token=REDACTED", reason.status(), 0, 1234, 5678, reason, null,
        "127.0.0.1:5678", "CN=client,O=Example", "gw-1");
  }

  @Test
  void writesEveryFieldInAFixedOrderOnOneLine() {
    String line = AccessRecordJson.toJson(sample("req-1", Reason.NONE));

    assertThat(line).isEqualTo("{\"time\":\"2026-11-23T09:15:02.120Z\",\"request_id\":\"req-1\",\"route\":\"editor\","
        + "\"client_ip\":\"10.1.2.3\",\"identity\":\"user-7f3a\",\"method\":\"GET\",\"path\":\"/rest/workflows\","
        + "\"query\":\"limit=10&token=REDACTED\",\"status\":200,\"bytes_in\":0,\"bytes_out\":1234,"
        + "\"latency_us\":5678,\"decision\":\"allow\",\"reason\":\"none\",\"detail\":null,\"upstream\":\"127.0.0.1:5678\","
        + "\"tls_client_subject\":\"CN=client,O=Example\",\"replica\":\"gw-1\"}");
  }

  @Test
  void writesAbsentValuesAsNullSoEveryLineHasTheSameFields() throws Exception {
    AccessRecord refused = new AccessRecord(Instant.parse("2026-11-23T09:15:02Z"), "req-2", null, "10.1.2.3", null,
        "POST", "/nowhere", null, 404, 17, 40, 90, Reason.NO_ROUTE, "no route matched", null, null, "gw-1");

    JsonNode node = JSON.readTree(AccessRecordJson.toJson(refused));

    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("time", "request_id", "route", "client_ip", "identity", "method", "path",
        "query", "status", "bytes_in", "bytes_out", "latency_us", "decision", "reason", "detail", "upstream",
        "tls_client_subject", "replica");
    assertThat(node.get("time").asText()).isEqualTo("2026-11-23T09:15:02.000Z");
    assertThat(node.get("route").isNull()).isTrue();
    assertThat(node.get("identity").isNull()).isTrue();
    assertThat(node.get("query").isNull()).isTrue();
    assertThat(node.get("upstream").isNull()).isTrue();
    assertThat(node.get("decision").asText()).isEqualTo("refuse");
    assertThat(node.get("reason").asText()).isEqualTo("no_route");
  }

  @Test
  void escapesControlCharactersAndQuotesSoARecordStaysOneLine() throws Exception {
    AccessRecord hostile = new AccessRecord(Instant.EPOCH, "req-3", null, "10.0.0.1", "a\"b\nc", "GET",
        "/x\r\n{\"forged\":true}", null, 400, 0, 0, 1, Reason.BAD_REQUEST, null, null, null, "gw-1");

    String line = AccessRecordJson.toJson(hostile);

    assertThat(line).doesNotContain("\n").doesNotContain("\r");
    assertThat(JSON.readTree(line).get("path").asText()).isEqualTo("/x\r\n{\"forged\":true}");
    assertThat(JSON.readTree(line).get("identity").asText()).isEqualTo("a\"b\nc");
  }
}
