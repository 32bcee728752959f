package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes that ask for authentication: an n8n API key must be present before n8n sees the request, and a bearer
 * route whose issuer cannot be reached fails closed (503 {@code idp_unavailable}) rather than forward. Bearer tokens
 * against a real IdP: {@code io.gatehouse.idp.SsoLoginIT}.
 */
class AuthenticationModesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTES = """
      routes:
        - name: "public-api"
          match: ["/api/v1/"]
          upstream: "main"
          allow: ["127.0.0.0/8"]
          auth: "n8n-api-key"
        - name: "bearer-api"
          match: ["/bearer/"]
          upstream: "main"
          allow: ["127.0.0.0/8"]
          auth: "bearer"
          # Nothing listens on port 1: the issuer's keys can never be fetched.
          bearer: { issuer: "http://127.0.0.1:1/realms/none", audience: "n8n-api" }
      """;

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), ROUTES, "");
  }

  @AfterAll static void stop() {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
  }

  @Test void refusesPublicApiCallsWithoutAnApiKeyWith401AndNeverForwards() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway.url("/api/v1/workflows"))));

    assertRefused(response, 401, "unauthenticated");
    assertThat(upstream.seen()).isEmpty();
  }

  @Test void refusesAnEmptyApiKeyWith401() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway.url("/api/v1/workflows")))
        .header("X-N8N-API-KEY", " "));

    assertRefused(response, 401, "unauthenticated");
    assertThat(upstream.seen()).isEmpty();
  }

  @Test void forwardsPublicApiCallsCarryingAnApiKeyForN8nToCheck() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway.url("/api/v1/workflows")))
        .header("X-N8N-API-KEY", "n8n_api_key_value"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(upstream.seen()).singleElement()
        .satisfies(seen -> assertThat(seen.header("x-n8n-api-key")).isEqualTo("n8n_api_key_value"));
  }

  @Test void failsClosedWhenTheBearerIssuersKeysCannotBeFetched() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway.url("/bearer/x")))
        .header("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"));

    assertRefused(response, 503, "idp_unavailable");
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(upstream.seen()).isEmpty();
  }

  @Test void aBearerRouteWithoutATokenAnswers401WithABearerChallenge() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway.url("/bearer/x"))));

    assertRefused(response, 401, "unauthenticated");
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
    assertThat(upstream.seen()).isEmpty();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return gateway.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertRefused(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo(code);
    assertThat(gateway.accessRecord(requestId).get("reason").asText()).isEqualTo(code);
  }
}
