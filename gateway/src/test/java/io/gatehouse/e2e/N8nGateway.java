package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.it.GatewayHarness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A real gateway in front of the shared {@link N8nServer}, on the port n8n was told is public, with the routes of
 * {@code config/gatehouse.dev.yaml} (one upstream pool: the harness has only {@code main}), and the calls a user
 * of n8n makes through it.
 */
final class N8nGateway {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The routes of config/gatehouse.dev.yaml, every pool being {@code main}. */
  static final String DEV_ROUTES = """
      routes:
        - name: "webhooks"
          match: ["/webhook/", "/webhook-waiting/", "/form/", "/form-waiting/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          rate_limit: { key: "client_ip", rate: "20/s", burst: 40 }
          signature: "off"
        - name: "test-webhooks"
          match: ["/webhook-test/", "/form-test/"]
          deny: "all"
        - name: "public-api"
          match: ["/api/v1/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          auth: "n8n-api-key"
        - name: "editor"
          match: ["/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          auth: "none"
      """;

  private N8nGateway() {}

  /** Starts the gateway in front of {@code n8n}; n8n's webhook answers take well under the 30 s allowed here. */
  static GatewayHarness start(N8nServer n8n) throws Exception {
    return GatewayHarness.start(n8n.baseUrl(), DEV_ROUTES, "",
        GatewayHarness.Options.DEFAULTS
            .withListen("127.0.0.1:" + n8n.gatewayPort())
            .withPublicUrl(n8n.publicUrl())
            .withTimeouts("{ upstream_connect: \"2s\", upstream_response: \"30s\", drain: \"2s\" }"));
  }

  /** A JSON POST on the gateway. */
  static HttpRequest.Builder postJson(GatewayHarness gateway, String path, String body) {
    return HttpRequest.newBuilder(URI.create(gateway.url(path)))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** Logs in as the owner through the gateway and returns the {@code n8n-auth} cookie ({@code name=value}). */
  static String login(GatewayHarness gateway, N8nServer n8n) throws IOException, InterruptedException {
    HttpResponse<String> response = gateway.http().send(postJson(gateway, "/rest/login", """
        {"emailOrLdapLoginId":"%s","password":"%s"}""".formatted(N8nServer.OWNER_EMAIL, n8n.ownerPassword()))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("login: %s", response.body()).isEqualTo(200);
    return response.headers().allValues("set-cookie").stream()
        .filter(cookie -> cookie.startsWith("n8n-auth="))
        .map(cookie -> cookie.substring(0, cookie.indexOf(';') < 0 ? cookie.length() : cookie.indexOf(';')))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no n8n-auth cookie in " + response.headers().map()));
  }

  /** Creates a public-API key through the gateway with n8n's internal API, as the editor's settings page does. */
  static String createApiKey(GatewayHarness gateway, String authCookie) throws IOException, InterruptedException {
    HttpResponse<String> response = gateway.http().send(postJson(gateway, "/rest/api-keys", """
        {"label":"e2e %d","scopes":["workflow:list","workflow:read","execution:list"],"expiresAt":null}"""
        .formatted(System.nanoTime()))
        .header("Cookie", authCookie)
        .header("Origin", gateway.url("").replaceAll("/$", ""))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("api key: %s", response.body()).isEqualTo(200);
    String key = JSON.readTree(response.body()).path("data").path("rawApiKey").asText();
    assertThat(key).as("rawApiKey in %s", response.body()).isNotBlank();
    return key;
  }

  /** How many executions n8n has recorded, asked directly (not through the gateway) with a public-API key. */
  static int executionCount(N8nServer n8n, String apiKey) throws IOException, InterruptedException {
    HttpResponse<String> response = N8nServer.directClient().send(
        HttpRequest.newBuilder(URI.create(n8n.baseUrl() + "/api/v1/executions?limit=250"))
            .header("X-N8N-API-KEY", apiKey).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("executions: %s", response.body()).isEqualTo(200);
    JsonNode data = JSON.readTree(response.body()).path("data");
    return data.size();
  }

  /** Waits until a request through the gateway reaches n8n and n8n answers it 200. */
  static void awaitServed(GatewayHarness gateway, Duration timeout) throws InterruptedException {
    HttpClient client = gateway.http1();
    HttpRequest readiness = HttpRequest.newBuilder(URI.create(gateway.url("/healthz/readiness")))
        .timeout(Duration.ofSeconds(2)).build();
    GatewayHarness.awaitTrue(() -> {
      try {
        return client.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }, timeout, "n8n served through the gateway");
  }
}
