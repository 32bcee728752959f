package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.it.GatewayHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a user of n8n does, through a real gateway in front of a real n8n with the development routes. */
class N8nBehindGatewayIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static N8nServer n8n;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    n8n = N8nServer.shared();
    n8n.start(); // no-op when running; a class that stopped it must not leave it down for this one
    gateway = N8nGateway.start(n8n);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
  }

  @Test
  void signedProductionWebhookRunsTheWorkflowAndReturnsItsOwnAnswer() throws Exception {
    HttpResponse<String> response = gateway.http().send(
        N8nGateway.signedWebhook(gateway, "{\"claim_id\":\"C-4711\"}").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202); // the workflow's own response code
    assertThat(JSON.readTree(response.body())).isEqualTo(
        JSON.readTree("{\"status\":\"received\",\"claim_id\":\"C-4711\",\"workflow\":\"claims-intake\"}"));
    String requestId = response.headers().firstValue("x-request-id").orElseThrow();
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("route").asText()).isEqualTo("webhooks");
    assertThat(record.get("upstream").asText()).contains(Integer.toString(n8n.port()));
  }

  @Test
  void testWebhookIsRefusedWith403RouteDeniedAndNeverReachesN8n() throws Exception {
    String apiKey = N8nGateway.createApiKey(gateway, N8nGateway.session(gateway, n8n));
    // A control after the refusal: the signed production webhook through the gateway does add an execution, so
    // the count is live.
    int before = N8nGateway.executionCount(n8n, apiKey);

    HttpResponse<String> refused = gateway.http().send(
        N8nGateway.postJson(gateway, "/webhook-test/claims-intake", "{\"claim_id\":\"C-1\"}").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(403);
    JsonNode body = JSON.readTree(refused.body());
    assertThat(body.get("error").asText()).isEqualTo("route_denied");
    String requestId = refused.headers().firstValue("x-request-id").orElseThrow();
    assertThat(body.get("request_id").asText()).isEqualTo(requestId);
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("reason").asText()).isEqualTo("route_denied");
    assertThat(record.path("upstream").asText("")).as("no upstream target").isEmpty();

    // n8n itself answers a test webhook nobody listens for with its own 404, not the gateway's JSON.
    HttpResponse<String> direct = N8nServer.directClient().send(
        HttpRequest.newBuilder(URI.create(n8n.baseUrl() + "/webhook-test/claims-intake"))
            .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(direct.statusCode()).isEqualTo(404);
    assertThat(direct.body()).doesNotContain("route_denied");

    assertThat(N8nGateway.executionCount(n8n, apiKey)).as("executions after the refused test webhook")
        .isEqualTo(before);
    gateway.http().send(N8nGateway.signedWebhook(gateway, "{\"claim_id\":\"C-2\"}").build(),
        HttpResponse.BodyHandlers.ofString());
    GatewayHarness.awaitTrue(() -> {
      try {
        return N8nGateway.executionCount(n8n, apiKey) == before + 1;
      } catch (Exception e) {
        return false;
      }
    }, Duration.ofSeconds(10), "the production webhook's execution to be recorded");
  }

  @Test
  void editorRootLoadsN8nsOwnPage() throws Exception {
    HttpResponse<String> response = gateway.http().send(
        HttpRequest.newBuilder(URI.create(gateway.url("/"))).header("Accept", "text/html").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
    assertThat(response.body())
        .contains("<title>n8n.io - Workflow Automation</title>")
        .contains("<meta name=\"n8n:config:rest-endpoint\""); // written by the n8n server itself
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
  }

  @Test
  void ownerLogsInThroughTheGatewayAndGetsTheAuthCookie() throws Exception {
    HttpResponse<String> response = gateway.http().send(N8nGateway.postJson(gateway, "/rest/login", """
        {"emailOrLdapLoginId":"%s","password":"%s"}""".formatted(N8nServer.OWNER_EMAIL, n8n.ownerPassword()))
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("data").path("email").asText()).isEqualTo(N8nServer.OWNER_EMAIL);
    String cookie = response.headers().allValues("set-cookie").stream()
        .filter(value -> value.startsWith("n8n-auth=")).findFirst().orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("Secure");

    HttpResponse<String> me = gateway.http().send(HttpRequest.newBuilder(URI.create(gateway.url("/rest/login")))
        .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(me.statusCode()).as("the cookie is a session: %s", me.body()).isEqualTo(200);
  }

  @Test
  void pushChannelUpgradesWithTheBrowsersOriginAndStaysOpenTenSeconds() throws Exception {
    String cookie = N8nGateway.session(gateway, n8n);
    PushListener listener = new PushListener();
    WebSocket socket = gateway.http1().newWebSocketBuilder()
        .header("Origin", n8n.publicUrl())
        .header("Cookie", cookie)
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create(gateway.url("/rest/push?pushRef=e2e-" + System.nanoTime())
            .replace("https://", "wss://")), listener)
        .get(15, TimeUnit.SECONDS);

    // n8n closes a bad origin at once (1008 "Invalid origin!"); ten quiet seconds mean it accepted it.
    Thread.sleep(10_000); // the duration is what is being asserted, not a wait for a condition
    assertThat(listener.closed).as("close status").isNotDone();
    assertThat(listener.texts).noneMatch(text -> text.contains("Invalid origin"));
    assertThat(socket.isInputClosed()).isFalse();
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
  }

  @Test
  void pushChannelFromAnotherOriginIsClosedBy1008SoTheOriginCheckIsLive() throws Exception {
    String cookie = N8nGateway.session(gateway, n8n);
    PushListener listener = new PushListener();
    gateway.http1().newWebSocketBuilder()
        .header("Origin", "https://evil.example")
        .header("Cookie", cookie)
        .buildAsync(URI.create(gateway.url("/rest/push?pushRef=e2e-evil").replace("https://", "wss://")), listener)
        .get(15, TimeUnit.SECONDS);

    assertThat(listener.closed.get(15, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(listener.texts).anyMatch(text -> text.contains("Invalid origin!"));
  }

  @Test
  void publicApiAnswersWithAnApiKeyCreatedThroughN8n() throws Exception {
    String apiKey = N8nGateway.createApiKey(gateway, N8nGateway.session(gateway, n8n));

    HttpResponse<String> response = gateway.http().send(
        HttpRequest.newBuilder(URI.create(gateway.url("/api/v1/workflows"))).header("X-N8N-API-KEY", apiKey).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode workflows = JSON.readTree(response.body()).path("data");
    assertThat(workflows.findValuesAsText("id")).contains(N8nServer.WORKFLOW_ID);
    HttpResponse<String> without = gateway.http().send(
        HttpRequest.newBuilder(URI.create(gateway.url("/api/v1/workflows"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(without.statusCode()).as("n8n itself refuses a request without a key").isEqualTo(401);
  }

  /** Records what the push channel sends and how it closes. */
  private static final class PushListener implements WebSocket.Listener {
    final List<String> texts = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    @Override public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      texts.add(data.toString());
      webSocket.request(1);
      return null;
    }

    @Override public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
      webSocket.request(1);
      return null;
    }

    @Override public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
