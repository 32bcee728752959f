package io.gatehouse.audit.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.audit.log.LogEntries;
import io.gatehouse.it.GatewayHarness;
import io.gatehouse.it.TestUpstream;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real gateway with {@code audit.syslog}: every entry it writes reaches a TLS collector, byte for byte. */
class GatewaySyslogIT {
  @TempDir Path tmp;

  @Test
  void everyEntryOfARunningGatewayReachesTheCollectorAsItsSegmentLine() throws Exception {
    SyslogTestPki pki = SyslogTestPki.create(tmp);
    Vertx vertx = Vertx.vertx();
    TestUpstream upstream = new TestUpstream(vertx);
    try (TestCollector collector = TestCollector.start(
        SyslogTestPki.serverContext(pki.collector(), Optional.empty()), 0, false)) {
      String yaml = GatewayHarness.configYaml(upstream.url(), GatewayHarness.DEFAULT_ROUTES, "")
          + "  replica: \"it-syslog\"\n"
          + "  syslog: { url: \"tls://127.0.0.1:" + collector.port() + "\", ca: \"" + pki.caFile + "\" }\n";
      GatewayHarness gateway = GatewayHarness.startWithConfig(yaml);
      try {
        HttpClient client = HttpClient.newBuilder().sslContext(gateway.sslContext()).build();
        for (int i = 0; i < 50; i++) {
          client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + "/rest/x" + i)).build(),
              HttpResponse.BodyHandlers.discarding());
        }
        gateway.accessLog(50);
      } finally {
        gateway.close();
      }
      List<JsonNode> entries = LogEntries.all(gateway.dir().resolve("audit"));
      Set<String> lines = entries.stream().map(JsonNode::toString).collect(Collectors.toSet());
      TestCollector.await(() -> collector.received().stream().map(r -> SyslogMessage.parse(r.bytes()))
          .filter(m -> m.msgId().equals("entry")).count() >= entries.size(), Duration.ofSeconds(10),
          "every entry at the collector");
      List<SyslogMessage> messages = collector.received().stream().map(r -> SyslogMessage.parse(r.bytes())).toList();
      assertThat(messages).filteredOn(m -> m.msgId().equals("entry")).allSatisfy(m -> {
        assertThat(m.hostname()).isEqualTo("it-syslog");
        assertThat(lines).contains(new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.msgText()).toString());
      });
      assertThat(messages).anySatisfy(m -> assertThat(m.msgId()).isEqualTo("checkpoint"));
      assertThat(collector.errors()).isEmpty();
    } finally {
      upstream.close();
      vertx.close().await();
    }
  }
}
