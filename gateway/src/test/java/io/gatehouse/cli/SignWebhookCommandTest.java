package io.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Secret;
import io.gatehouse.config.WebhookConfig.GenericHmac;
import io.gatehouse.config.WebhookConfig.GenericHmac.Encoding;
import io.gatehouse.config.WebhookConfig.GenericHmac.Signed;
import io.gatehouse.guard.signature.GenericHmacSignatureScheme;
import io.gatehouse.guard.signature.SignatureScheme;
import io.gatehouse.guard.signature.SignatureScheme.Start;
import io.gatehouse.guard.signature.SignatureSchemes;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class SignWebhookCommandTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_760_000_000L);
  private static final byte[] BODY = "{\"claim\":\"c-1042\",\"amount\":\"12.50\"}\n".getBytes(StandardCharsets.UTF_8);
  private static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir
  Path dir;

  /** What one run printed and returned. */
  private record Run(int code, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }

    MultiMap headers() {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      for (String line : lines()) {
        int colon = line.indexOf(": ");
        assertThat(colon).as("'Name: value' line: %s", line).isPositive();
        headers.add(line.substring(0, colon), line.substring(colon + 2));
      }
      return headers;
    }
  }

  @Test
  void printsGithubsDocumentedSignatureByteForByte() throws Exception {
    // GitHub's documented example: docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
    Path body = Files.write(dir.resolve("body"), "Hello, World!".getBytes(StandardCharsets.UTF_8));

    Run run = run(new byte[0], "--scheme", "github", "--secret", "It's a Secret to Everybody", "--file",
        body.toString(), "--id", "72d3162e-cc78-11e3-81ab-4c9367dc0958");

    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("X-GitHub-Delivery: 72d3162e-cc78-11e3-81ab-4c9367dc0958\n"
        + "X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17\n");
    assertThat(run.err()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"github", "stripe", "slack", "shopify", "standard"})
  void outputVerifiesWithTheGatewaysOwnSchemeReadingStdin(String scheme) {
    String secret = scheme.equals("standard") ? STANDARD_SECRET : "a-webhook-secret-of-some-length";

    Run run = run(BODY, "--scheme", scheme, "--secret", secret);

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(verifies(SignatureSchemes.forName(scheme), run.headers(), BODY, secret)).isTrue();
    assertThat(verifies(SignatureSchemes.forName(scheme), run.headers(), "tampered".getBytes(), secret)).isFalse();
  }

  @Test
  void genericSchemeTakesItsSettingsAsOptionsAndRoundTrips() throws Exception {
    Path body = Files.write(dir.resolve("body.json"), BODY);
    String secret = "generic-sender-secret-0123";

    Run run = run(new byte[0], "--scheme", "hmac-sha256", "--secret", secret, "--file", body.toString(),
        "--header", "X-Forms-Signature", "--encoding", "base64", "--prefix", "sha256=", "--signed", "timestamp.body",
        "--timestamp-header", "X-Forms-Timestamp", "--id-header", "X-Forms-Delivery", "--id", "d-7",
        "--timestamp", "1760000000");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.lines()).hasSize(3).startsWith("X-Forms-Delivery: d-7", "X-Forms-Timestamp: 1760000000");
    assertThat(run.lines().get(2)).startsWith("X-Forms-Signature: sha256=");
    SignatureScheme scheme = new GenericHmacSignatureScheme(new GenericHmac("X-Forms-Signature", Encoding.BASE64,
        "sha256=", Signed.TIMESTAMP_BODY, Optional.of("X-Forms-Timestamp"), Optional.of("X-Forms-Delivery")));
    assertThat(verifies(scheme, run.headers(), BODY, secret)).isTrue();
  }

  @Test
  void readsTheSecretFromAFileReferenceSoItStaysOutOfTheProcessList() throws Exception {
    Path secretFile = Files.writeString(dir.resolve("hook.secret"), STANDARD_SECRET + "\n");

    Run fromFile = run(BODY, "--scheme", "standard", "--secret", "${file:" + secretFile + "}", "--id", "msg_1",
        "--timestamp", "1674087231");
    Run literal = run(BODY, "--scheme", "standard", "--secret", STANDARD_SECRET, "--id", "msg_1",
        "--timestamp", "1674087231");

    assertThat(fromFile.code()).as(fromFile.err()).isZero();
    assertThat(fromFile.out()).isEqualTo(literal.out());
  }

  @Test
  void aMissingSecretFileIsAnErrorThatNamesTheFileNotASecret() {
    Run run = run(BODY, "--scheme", "standard", "--secret", "${file:" + dir.resolve("absent.secret") + "}");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("absent.secret").contains("does not exist");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void usesGivenIdAndTimestamp() {
    Run run = run(BODY, "--scheme", "standard", "--secret", STANDARD_SECRET, "--id", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
        "--timestamp", "1674087231");

    assertThat(run.code()).isZero();
    assertThat(run.lines()).startsWith("webhook-id: msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "webhook-timestamp: 1674087231");
  }

  @Test
  void defaultsToNowAndARandomId() {
    Run first = run(BODY, "--scheme", "slack", "--secret", "slack-signing-secret-0123456");
    Run second = run(BODY, "--scheme", "shopify", "--secret", "shopify-client-secret-01234");
    Run third = run(BODY, "--scheme", "shopify", "--secret", "shopify-client-secret-01234");

    assertThat(first.lines()).first().isEqualTo("X-Slack-Request-Timestamp: 1760000000");
    assertThat(second.headers().get("X-Shopify-Webhook-Id")).matches("[0-9a-f-]{36}")
        .isNotEqualTo(third.headers().get("X-Shopify-Webhook-Id"));
  }

  @Test
  void signsAnEmptyBody() {
    Run run = run(new byte[0], "--scheme", "github", "--secret", "It's a Secret to Everybody");

    assertThat(run.code()).isZero();
    assertThat(verifies(SignatureSchemes.forName("github"), run.headers(), new byte[0], "It's a Secret to Everybody"))
        .isTrue();
  }

  @Test
  void refusesBadArgumentsWithExit2AndNeverEchoesTheSecret() {
    String secret = "do-not-print-this-secret-0123";
    List<Run> runs = new ArrayList<>();
    runs.add(run(BODY, "--scheme", "gitlab", "--secret", secret));
    runs.add(run(BODY, "--scheme", "hmac-sha256", "--secret", secret));
    runs.add(run(BODY, "--scheme", "hmac-sha256", "--secret", secret, "--header", "X-S", "--signed", "timestamp.body"));
    runs.add(run(BODY, "--scheme", "hmac-sha256", "--secret", secret, "--header", "X S"));
    runs.add(run(BODY, "--scheme", "hmac-sha256", "--secret", secret, "--header", "X-S", "--encoding", "base32"));
    runs.add(run(BODY, "--scheme", "github", "--secret", secret, "--header", "X-S"));
    runs.add(run(BODY, "--scheme", "github", "--secret", secret, "--id", "two words"));
    runs.add(run(BODY, "--scheme", "standard", "--secret", STANDARD_SECRET, "--id", "msg.1"));
    runs.add(run(BODY, "--scheme", "stripe", "--secret", secret, "--timestamp", "yesterday"));
    runs.add(run(BODY, "--scheme", "standard", "--secret", "whsec_" + secret.replace('-', '*')));

    for (Run run : runs) {
      assertThat(run.code()).as(run.err()).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).startsWith("sign-webhook: ").doesNotContain(secret, secret.replace('-', '*'));
    }
  }

  @Test
  void reportsAnUnreadableBodyFileWithExit1() {
    Run run = run(BODY, "--scheme", "github", "--secret", "a-webhook-secret-0123",
        "--file", dir.resolve("missing.json").toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("cannot read the body");
  }

  @Test
  void requiresSchemeAndSecret() {
    assertThat(run(BODY, "--secret", "x").code()).isEqualTo(2);
    assertThat(run(BODY, "--scheme", "github").code()).isEqualTo(2);
  }

  private static Run run(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SignWebhookCommand(new ByteArrayInputStream(stdin),
        Clock.fixed(NOW, ZoneOffset.UTC)));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static boolean verifies(SignatureScheme scheme, MultiMap headers, byte[] body, String secret) {
    Start start = scheme.begin(headers, List.of(new Secret(secret, true)), NOW, Duration.ofMinutes(5));
    assertThat(start).isInstanceOf(Start.Started.class);
    SignatureScheme.Verification verification = ((Start.Started) start).verification();
    verification.update(Buffer.buffer(body));
    return verification.verify();
  }
}
