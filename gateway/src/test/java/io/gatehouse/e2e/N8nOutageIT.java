package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.it.GatewayHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** n8n going away and coming back while one gateway keeps running in front of it. */
class N8nOutageIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static N8nServer n8n;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    n8n = N8nServer.shared();
    n8n.start();
    gateway = N8nGateway.start(n8n);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) gateway.close();
    if (n8n != null) n8n.start(); // leave it up for any class that runs after this one
  }

  @Test
  void n8nStoppedGives502UpstreamUnavailableAndServedAgainOnceBackWithoutRestartingTheGateway() throws Exception {
    assertThat(webhook("C-before").statusCode()).isEqualTo(202);

    n8n.stop();
    HttpResponse<String> down = webhook("C-down");
    assertThat(down.statusCode()).isEqualTo(502);
    JsonNode body = JSON.readTree(down.body());
    assertThat(body.get("error").asText()).isEqualTo("upstream_unavailable");
    String requestId = down.headers().firstValue("x-request-id").orElseThrow();
    assertThat(body.get("request_id").asText()).isEqualTo(requestId);
    assertThat(gateway.accessRecord(requestId).get("reason").asText()).isEqualTo("upstream_unavailable");

    n8n.start();
    // The pool skips a refusing target for a few seconds (passive health), so poll rather than expect at once.
    N8nGateway.awaitServed(gateway, Duration.ofSeconds(30));
    HttpResponse<String> back = webhook("C-after");
    assertThat(back.statusCode()).as(back.body()).isEqualTo(202);
    assertThat(JSON.readTree(back.body()).get("claim_id").asText()).isEqualTo("C-after");
  }

  private static HttpResponse<String> webhook(String claimId) throws Exception {
    return gateway.http().send(
        N8nGateway.signedWebhook(gateway, "{\"claim_id\":\"" + claimId + "\"}").build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
