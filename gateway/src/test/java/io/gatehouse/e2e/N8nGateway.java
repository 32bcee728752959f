package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.config.Secret;
import io.gatehouse.guard.signature.SignatureSchemes;
import io.gatehouse.it.GatewayHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real gateway in front of the shared {@link N8nServer}, with the routes and the example webhook's
 * {@code webhooks:} entry of {@code config/gatehouse.dev.yaml} (one upstream pool: the harness has only
 * {@code main}), and the calls a user of n8n or a webhook sender makes through it.
 *
 * <p>The example webhook must be signed, as in development: {@link #DEV_SCHEME} like the dev config, or another
 * scheme for {@link #startWithScheme}. Each scheme's secret is random per test JVM and read by the gateway from a
 * file ({@code ${file:…}}), as the dev config reads {@code run/secrets/claims-intake.secret}.
 */
final class N8nGateway {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The example webhook's path, which has a {@code webhooks:} entry. */
  static final String WEBHOOK = "/webhook/" + N8nServer.WEBHOOK_PATH;
  /** The scheme of config/gatehouse.dev.yaml's entry for {@link #WEBHOOK}. */
  static final String DEV_SCHEME = "standard";

  /**
   * The routes of config/gatehouse.dev.yaml, every pool being {@code main}, except that the editor has
   * {@code auth: none}: these tests act as n8n's owner through its password login, which the dev file's
   * {@code auth: sso} refuses ({@code SsoLoginIT} covers sign-in, {@code N8nIdentityHookIT} the hook).
   * {@code %s} is the {@code webhooks:} section.
   */
  static final String DEV_ROUTES = """
      %s
      routes:
        - name: "webhooks"
          match: ["/webhook/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          rate_limit: { key: "client_ip", rate: "20/s", burst: 40 }
          signature: "required"
        - name: "forms"
          match: ["/webhook-waiting/", "/form/", "/form-waiting/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          signature: "off"
        - name: "test-webhooks"
          match: ["/webhook-test/", "/form-test/", "/mcp-test/"]
          deny: "all"
        - name: "mcp"
          match: ["/mcp/"]
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

  /** A random secret per scheme for this JVM: Standard Webhooks' {@code whsec_<base64>}, else 64 hex digits. */
  private static final Map<String, String> SECRETS = Map.of(
      "standard", "whsec_" + Base64.getEncoder().encodeToString(randomBytes(32)),
      "github", HexFormat.of().formatHex(randomBytes(32)));

  private N8nGateway() {}

  /**
   * Starts the gateway with the dev config's scheme in front of {@code n8n}, on the port n8n was told is public
   * (the editor's push channel needs it); n8n's webhook answers take well under the 30 s allowed here.
   */
  static GatewayHarness start(N8nServer n8n) throws Exception {
    return start(n8n, DEV_SCHEME, "127.0.0.1:" + n8n.gatewayPort());
  }

  /**
   * As {@link #start(N8nServer)} but with {@code scheme} for the example webhook, on a free port: for webhook
   * calls only, which do not depend on n8n's public URL.
   */
  static GatewayHarness startWithScheme(N8nServer n8n, String scheme) throws Exception {
    return start(n8n, scheme, "127.0.0.1:0");
  }

  private static GatewayHarness start(N8nServer n8n, String scheme, String listen) throws Exception {
    String webhooks = """
        webhooks:
          - path: "%s"
            scheme: "%s"
            secrets: ["${file:%s}"]
        """.formatted(WEBHOOK, scheme, secretFile(scheme));
    return GatewayHarness.start(n8n.baseUrl(), DEV_ROUTES.formatted(webhooks), "",
        GatewayHarness.Options.DEFAULTS
            .withListen(listen)
            .withPublicUrl(n8n.publicUrl())
            .withTimeouts("{ upstream_connect: \"2s\", upstream_response: \"30s\", drain: \"2s\" }"));
  }

  /** The secret the gateways of this JVM expect for {@code scheme}. */
  static String secret(String scheme) {
    String secret = SECRETS.get(scheme);
    if (secret == null) throw new IllegalArgumentException("no e2e secret for scheme " + scheme);
    return secret;
  }

  /** The headers a sender of {@code scheme} adds to {@code body}, signed with {@code secret}: a new delivery. */
  static Map<String, String> sign(String scheme, String secret, byte[] body) {
    return SignatureSchemes.forName(scheme).sign(body, new Secret(secret, false), UUID.randomUUID().toString(),
        Instant.now());
  }

  /** A JSON POST of {@code body} to the example webhook with {@code headers} (a signature, or none). */
  static HttpRequest.Builder postWebhook(GatewayHarness gateway, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url(WEBHOOK)))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return request;
  }

  /** The example webhook called as its sender would: {@code body} signed with the dev config's scheme. */
  static HttpRequest.Builder signedWebhook(GatewayHarness gateway, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return postWebhook(gateway, bytes, sign(DEV_SCHEME, secret(DEV_SCHEME), bytes));
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

  /**
   * The owner's {@code n8n-auth} cookie from one login per n8n, shared by the tests that need a session: n8n
   * allows five logins per account per minute, and the e2e classes together need more sessions than that.
   */
  static String session(GatewayHarness gateway, N8nServer n8n) throws Exception {
    return n8n.session(() -> login(gateway, n8n));
  }

  /** Creates a public-API key through the gateway with n8n's internal API, as the editor's settings page does. */
  static String createApiKey(GatewayHarness gateway, String authCookie) throws IOException, InterruptedException {
    return createApiKey(gateway, authCookie, List.of("workflow:list", "workflow:read", "execution:list",
        "execution:read"));
  }

  /** As {@link #createApiKey(GatewayHarness, String)}, with the public API's {@code scopes} the test needs. */
  static String createApiKey(GatewayHarness gateway, String authCookie, List<String> scopes)
      throws IOException, InterruptedException {
    HttpResponse<String> response = gateway.http().send(postJson(gateway, "/rest/api-keys", """
        {"label":"e2e %d","scopes":%s,"expiresAt":null}"""
        .formatted(System.nanoTime(), JSON.writeValueAsString(scopes)))
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
    return executions(n8n, apiKey, false).size();
  }

  /**
   * The finished executions n8n has recorded, newest first, each with its run data (the webhook's body among it)
   * when {@code withData}. One page of up to 250: a test JVM runs far fewer, and a longer list fails loudly
   * rather than being miscounted.
   */
  static List<JsonNode> executions(N8nServer n8n, String apiKey, boolean withData)
      throws IOException, InterruptedException {
    HttpResponse<String> response = N8nServer.directClient().send(
        HttpRequest.newBuilder(URI.create(n8n.baseUrl() + "/api/v1/executions?limit=250&includeData=" + withData))
            .header("X-N8N-API-KEY", apiKey).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("executions: %s", response.body()).isEqualTo(200);
    JsonNode page = JSON.readTree(response.body());
    assertThat(page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode())
        .as("more than one page of executions: the count would be wrong").isTrue();
    List<JsonNode> executions = new ArrayList<>();
    page.path("data").forEach(executions::add);
    return executions;
  }

  /** How many recorded executions ran with {@code marker} (e.g. a claim id) anywhere in their data. */
  static long executionsWith(N8nServer n8n, String apiKey, String marker) throws IOException, InterruptedException {
    return executions(n8n, apiKey, true).stream().filter(e -> e.toString().contains(marker)).count();
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

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /** A file holding {@code scheme}'s secret, readable by its owner only, deleted when the JVM exits. */
  private static Path secretFile(String scheme) {
    try {
      Path file = Files.createTempFile("gatehouse-e2e-" + scheme, ".secret",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      file.toFile().deleteOnExit();
      Files.writeString(file, secret(scheme) + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
