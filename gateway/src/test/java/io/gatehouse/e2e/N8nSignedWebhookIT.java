package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.it.GatewayHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Webhook signatures in front of a real n8n: the example workflow's webhook is signed as in development, with the
 * dev config's Standard Webhooks scheme, and with GitHub's. A signed delivery runs the workflow; an unsigned, a
 * forged or a replayed one is refused by the gateway, and n8n's execution count shows it never ran.
 *
 * <p>Every sent body carries a claim id unique to the call, so an execution can be traced to the delivery that
 * caused it (n8n records the webhook's body in the execution's data).
 */
class N8nSignedWebhookIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static N8nServer n8n;
  private static GatewayHarness devGateway;
  private static GatewayHarness githubGateway;
  private static String apiKey;

  @BeforeAll
  static void start() throws Exception {
    n8n = N8nServer.shared();
    n8n.start();
    devGateway = N8nGateway.start(n8n);
    githubGateway = N8nGateway.startWithScheme(n8n, "github");
    apiKey = N8nGateway.createApiKey(devGateway, N8nGateway.session(devGateway, n8n));
  }

  @AfterAll
  static void stop() {
    if (devGateway != null) devGateway.close();
    if (githubGateway != null) githubGateway.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {N8nGateway.DEV_SCHEME, "github"})
  void signedWebhookRunsTheWorkflowAndReturnsItsAnswer(String scheme) throws Exception {
    String claim = claimId(scheme, "signed");

    HttpResponse<String> response = sendSigned(scheme, claim);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202); // the workflow's own response code
    assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
        "{\"status\":\"received\",\"claim_id\":\"" + claim + "\",\"workflow\":\"claims-intake\"}"));
    JsonNode record = gateway(scheme).accessRecord(response.headers().firstValue("x-request-id").orElseThrow());
    assertThat(record.get("route").asText()).isEqualTo("webhooks");
    assertThat(record.get("upstream").asText()).contains(Integer.toString(n8n.port()));
    awaitExecutionsWith(claim, 1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {N8nGateway.DEV_SCHEME, "github"})
  void unsignedWrongSecretAndTamperedWebhooksAreRefused401AndN8nNeverRunsThem(String scheme) throws Exception {
    GatewayHarness gateway = gateway(scheme);
    int before = N8nGateway.executionCount(n8n, apiKey);

    String unsignedClaim = claimId(scheme, "unsigned");
    HttpResponse<String> unsigned = send(gateway, N8nGateway.postWebhook(gateway, body(unsignedClaim), Map.of()));
    assertRefused(gateway, unsigned, 401, "signature_missing");

    String forgedClaim = claimId(scheme, "forged");
    byte[] forgedBody = body(forgedClaim);
    HttpResponse<String> forged = send(gateway, N8nGateway.postWebhook(gateway, forgedBody,
        N8nGateway.sign(scheme, otherSecret(scheme), forgedBody)));
    assertRefused(gateway, forged, 401, "signature_invalid");

    // A valid signature for the original body, sent with one byte of the claim id changed.
    String originalClaim = claimId(scheme, "tamper") + "A";
    String tamperedClaim = originalClaim.substring(0, originalClaim.length() - 1) + "B";
    byte[] original = body(originalClaim);
    byte[] tampered = body(tamperedClaim);
    assertThat(tampered).hasSameSizeAs(original);
    HttpResponse<String> tamperedResponse = send(gateway, N8nGateway.postWebhook(gateway, tampered,
        N8nGateway.sign(scheme, N8nGateway.secret(scheme), original)));
    assertRefused(gateway, tamperedResponse, 401, "signature_invalid");

    assertThat(N8nGateway.executionCount(n8n, apiKey)).as("executions after three refused webhooks")
        .isEqualTo(before);
    // The count is live: a signed delivery after the refused ones is recorded, and it is the only new one.
    String control = claimId(scheme, "control");
    assertThat(sendSigned(scheme, control).statusCode()).isEqualTo(202);
    awaitExecutionsWith(control, 1);
    assertThat(N8nGateway.executionCount(n8n, apiKey)).isEqualTo(before + 1);
    for (String refused : new String[] {unsignedClaim, forgedClaim, originalClaim, tamperedClaim}) {
      assertThat(N8nGateway.executionsWith(n8n, apiKey, refused)).as("executions with %s", refused).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {N8nGateway.DEV_SCHEME, "github"})
  void sameSignedDeliverySentTwiceIsRefused409ReplayedAndN8nRunsItOnce(String scheme) throws Exception {
    GatewayHarness gateway = gateway(scheme);
    String claim = claimId(scheme, "replay");
    byte[] body = body(claim);
    Map<String, String> headers = N8nGateway.sign(scheme, N8nGateway.secret(scheme), body);

    HttpResponse<String> first = send(gateway, N8nGateway.postWebhook(gateway, body, headers));
    HttpResponse<String> second = send(gateway, N8nGateway.postWebhook(gateway, body, headers));

    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertRefused(gateway, second, 409, "replayed");
    // A later signed delivery is recorded, so the replay would have been by now, had it reached n8n.
    String control = claimId(scheme, "after-replay");
    assertThat(sendSigned(scheme, control).statusCode()).isEqualTo(202);
    awaitExecutionsWith(control, 1);
    assertThat(N8nGateway.executionsWith(n8n, apiKey, claim)).as("executions of the delivery").isEqualTo(1);
  }

  private static GatewayHarness gateway(String scheme) {
    return scheme.equals(N8nGateway.DEV_SCHEME) ? devGateway : githubGateway;
  }

  private static HttpResponse<String> sendSigned(String scheme, String claim) throws Exception {
    GatewayHarness gateway = gateway(scheme);
    byte[] body = body(claim);
    return send(gateway, N8nGateway.postWebhook(gateway, body,
        N8nGateway.sign(scheme, N8nGateway.secret(scheme), body)));
  }

  private static HttpResponse<String> send(GatewayHarness gateway, HttpRequest.Builder request)
      throws Exception {
    return gateway.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The gateway's own refusal: the contract's code in JSON with the request id, and the same in the access log. */
  private static void assertRefused(GatewayHarness gateway, HttpResponse<String> response, int status, String code)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("error").asText()).isEqualTo(code);
    String requestId = response.headers().firstValue("x-request-id").orElseThrow();
    assertThat(body.get("request_id").asText()).isEqualTo(requestId);
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("reason").asText()).isEqualTo(code);
    assertThat(record.path("upstream").asText("")).as("no upstream target").isEmpty();
  }

  private static void awaitExecutionsWith(String marker, long count) throws InterruptedException {
    GatewayHarness.awaitTrue(() -> {
      try {
        return N8nGateway.executionsWith(n8n, apiKey, marker) == count;
      } catch (Exception e) {
        return false;
      }
    }, Duration.ofSeconds(10), count + " execution(s) with " + marker);
  }

  private static String claimId(String scheme, String what) {
    return "C-" + scheme + "-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static byte[] body(String claim) {
    return ("{\"claim_id\":\"" + claim + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  /** A secret of the scheme's form that the gateway does not know. */
  private static String otherSecret(String scheme) {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return scheme.equals("standard")
        ? "whsec_" + Base64.getEncoder().encodeToString(bytes)
        : HexFormat.of().formatHex(bytes);
  }
}
