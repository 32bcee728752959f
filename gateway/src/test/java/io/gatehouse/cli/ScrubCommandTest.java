package io.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScrubCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BODY = "{\"patient\":{\"name\":\"Jane Roe\",\"ssn\":\"123-45-6789\"},"
      + "\"policy_ref\":\"PX-77\",\"claim_status\":\"open\",\"note\":\"call 617-555-0142\"}";

  @TempDir Path dir;

  private record Run(int code, String out, String err) {
    JsonNode entry() throws Exception {
      return JSON.readTree(out.lines().findFirst().orElseThrow());
    }
  }

  @Test
  void printsTheScrubbedBodyAndCountsAndNeverTheValues() throws Exception {
    Run run = run(BODY, "--content-type", "application/json");
    assertThat(run.code()).isZero();
    JsonNode entry = run.entry();
    String scrubbed = entry.get("scrubbed").asText();
    assertThat(JSON.readTree(scrubbed).get("patient").get("ssn").asText()).isEqualTo("[REDACTED:SSN]");
    assertThat(entry.get("size").asLong()).isEqualTo(BODY.getBytes(StandardCharsets.UTF_8).length);
    assertThat(entry.get("redactions").get("SSN").asInt()).isEqualTo(1);
    assertThat(entry.get("redactions").get("PHONE").asInt()).isEqualTo(1);
    assertThat(entry.get("hmac").asText()).hasSize(64);
    assertThat(run.out()).doesNotContain("123-45-6789", "Jane Roe", "617-555-0142").contains("\nSSN 1\n");
  }

  @Test
  void theConfigsKeysAndSigningKeyDecideTheRedactionsAndTheHmac() throws Exception {
    Path config = config("a", "[\"policy_ref\"]");
    Run first = run(BODY, "--config", config.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(JSON.readTree(first.entry().get("scrubbed").asText()).get("policy_ref").asText())
        .isEqualTo("[REDACTED:KEY]");
    assertThat(JSON.readTree(first.entry().get("scrubbed").asText()).get("claim_status").asText()).isEqualTo("open");
    // The same signing key gives the same HMAC, so two deliveries of one body can be matched; another key does not.
    assertThat(run(BODY, "--config", config.toString()).entry().get("hmac"))
        .isEqualTo(first.entry().get("hmac"));
    assertThat(run(BODY, "--config", config("b", "[]").toString()).entry().get("hmac"))
        .isNotEqualTo(first.entry().get("hmac"));
    // Without a config the key is random: that HMAC matches nothing the gateway writes.
    assertThat(run(BODY).entry().get("hmac")).isNotEqualTo(first.entry().get("hmac"));
  }

  @Test
  void multipartIsNeverReadOnlyMeasured() throws Exception {
    Path body = Files.writeString(dir.resolve("upload"), "--x\r\nContent-Disposition: form-data; name=\"ssn\"\r\n\r\n"
        + "123-45-6789\r\n--x--\r\n");
    Run run = run("", "--file", body.toString(), "--content-type", "multipart/form-data; boundary=x");
    assertThat(run.code()).isZero();
    assertThat(run.entry().has("scrubbed")).isFalse();
    assertThat(run.entry().get("size").asLong()).isEqualTo(Files.size(body));
    assertThat(run.out()).doesNotContain("123-45-6789").contains("no redactions");
  }

  @Test
  void aBodyThatCannotBeReadIsExitTwo() throws Exception {
    Run run = run("", "--file", dir.resolve("absent").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("scrub: ");
  }

  private Path config(String name, String keys) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name));
    assertThat(new CommandLine(new KeygenCommand()).execute("--out", home.resolve("audit").toString())).isZero();
    Files.writeString(home.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nTm90IGEgcmVhbCBjZXJ0\n-----END CERTIFICATE-----\n");
    Files.writeString(home.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\nTm90IGEgcmVhbCBrZXk=\n-----END PRIVATE KEY-----\n");
    return Files.writeString(home.resolve("gatehouse.yaml"), """
        server:
          listen: "127.0.0.1:0"
          public_url: "https://localhost:8443"
          tls: { cert: "tls.crt", key: "tls.key" }
        upstreams:
          main: { urls: ["http://127.0.0.1:5678"] }
        routes:
          - { name: "webhooks", match: ["/webhook/"], upstream: "main", log_payloads: true }
        audit:
          dir: "audit-log"
          signing_key: "audit.key"
          scrub:
            keys: %s
        """.formatted(keys));
  }

  private static Run run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ScrubCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
