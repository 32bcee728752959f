package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The path the gateway routes on is the path n8n receives (DESIGN.md §1), end to end: raw request targets go over
 * TLS exactly as written (no client library normalizes them first), and the test asserts what the upstream
 * recorded, or that the gateway refused without the upstream seeing anything.
 */
class PathNormalizationIT {
  private static final String ROUTES = """
      routes:
        - name: "test-webhooks"
          match: ["/webhook-test/", "/form-test/"]
          deny: "all"
        - name: "webhooks"
          match: ["/webhook/", "/webhook-waiting/", "/form/", "/form-waiting/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
        - name: "public-api"
          match: ["/api/v1/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
        - name: "editor"
          match: ["/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
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

  /** target as sent, the request-target n8n must receive, the route that must have matched. */
  static Stream<Arguments> forwarded() {
    return Stream.of(
        Arguments.of("//rest/settings", "/rest/settings", "editor"),
        Arguments.of("/a/%2e%2e/rest/x", "/rest/x", "editor"),
        Arguments.of("/rest/./a//b/", "/rest/a/b/", "editor"),
        // ';' in the query is data, and n8n editor assets keep passing.
        Arguments.of("/rest/workflows?x=a;b", "/rest/workflows?x=a;b", "editor"),
        Arguments.of("/assets/index-abc.js", "/assets/index-abc.js", "editor"),
        Arguments.of("/static/x.png", "/static/x.png", "editor"),
        Arguments.of("/favicon.ico", "/favicon.ico", "editor"),
        Arguments.of("/webhook/a%E2%82%AC", "/webhook/a%E2%82%AC", "webhooks"),
        // Decoded once only: "%252e" must not become "%2e" and then ".".
        Arguments.of("/rest/%252e%252e/x", "/rest/%252e%252e/x", "editor"),
        // An encoded '?' or '#' is data in the path, never the start of a query or fragment.
        Arguments.of("/rest/a%3Fb", "/rest/a%3Fb", "editor"),
        Arguments.of("/rest/a%23b", "/rest/a%23b", "editor"),
        Arguments.of("/rest/%7euser/%c3%a9", "/rest/~user/%C3%A9", "editor"),
        Arguments.of("/%61pi/v1/x", "/api/v1/x", "public-api"),
        Arguments.of("/%57ebhook/x", "/Webhook/x", "webhooks"),
        // The query goes through byte for byte: webhook signatures may cover it.
        Arguments.of("/rest/x?a=%2e%2e/b&c=%2F", "/rest/x?a=%2e%2e/b&c=%2F", "editor"));
  }

  @ParameterizedTest(name = "{0} reaches n8n as {1}")
  @MethodSource("forwarded")
  void forwardsTheNormalizedPathItRoutedOn(String target, String expectedUri, String expectedRoute) throws Exception {
    RawReply reply = send(target);

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(upstream.seen()).singleElement().satisfies(seen -> assertThat(seen.uri()).isEqualTo(expectedUri));
    assertThat(reply.json().get("uri").asText()).isEqualTo(expectedUri);
    JsonNode record = gateway.accessRecord(reply.header("X-Request-Id"));
    assertThat(record.get("route").asText()).isEqualTo(expectedRoute);
    int query = expectedUri.indexOf('?');
    assertThat(record.get("path").asText()).isEqualTo(query < 0 ? expectedUri : expectedUri.substring(0, query));
    // The audit log leaves absent values out rather than writing null (docs/audit-log.md, Lines).
    if (query < 0) assertThat(record.has("query")).as(record.toString()).isFalse();
  }

  /** target as sent, the status and code of the refusal, the path the access log must show. */
  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("/webhook-test/..%2f", 400, "bad_request", null),
        Arguments.of("/webhook/..%2fwebhook-test/x", 400, "bad_request", null),
        Arguments.of("/webhook/..%2Fwebhook-test/x", 400, "bad_request", null),
        Arguments.of("/%2e%2e/", 400, "bad_request", null),
        Arguments.of("/../rest/x", 400, "bad_request", null),
        Arguments.of("/a%00", 400, "bad_request", null),
        Arguments.of("/a%0d%0aX-Injected:%201", 400, "bad_request", null),
        Arguments.of("/a%5Cb", 400, "bad_request", null),
        Arguments.of("/a\\b", 400, "bad_request", null),
        Arguments.of("/a%zz", 400, "bad_request", null),
        Arguments.of("/rest/a#b", 400, "bad_request", null),
        // Path parameters: Tomcat-style backends strip "..;" and would read "/webhook-test/x".
        Arguments.of("/rest;x", 400, "bad_request", null),
        Arguments.of("/webhook/..;/webhook-test/x", 400, "bad_request", null),
        Arguments.of("/webhook/x%3Bjsessionid=1", 400, "bad_request", null),
        // A trailing '.' or space is dropped by Windows-backed servers: "x." would be read as "x".
        Arguments.of("/webhook/x.", 400, "bad_request", null),
        Arguments.of("/webhook/x%20", 400, "bad_request", null),
        Arguments.of("/rest/a%2E/b", 400, "bad_request", null),
        Arguments.of("/x./y", 400, "bad_request", null),
        // Not UTF-8 in shortest form: overlong '.' and '/', a surrogate, a truncated sequence, a byte above F4.
        Arguments.of("/webhook/%C0%AE%C0%AE/webhook-test/x", 400, "bad_request", null),
        Arguments.of("/webhook/a%E0%80%AFb", 400, "bad_request", null),
        Arguments.of("/webhook/a%ED%A0%80", 400, "bad_request", null),
        Arguments.of("/webhook/a%E2%82", 400, "bad_request", null),
        Arguments.of("/webhook/a%F5%80%80%80", 400, "bad_request", null),
        // Express matches case-insensitively, so the deny rule must too.
        Arguments.of("/WEBHOOK-TEST/x", 403, "route_denied", "/WEBHOOK-TEST/x"),
        Arguments.of("/Webhook-Test/x", 403, "route_denied", "/Webhook-Test/x"),
        Arguments.of("/FORM-TEST/x", 403, "route_denied", "/FORM-TEST/x"),
        // Matched as the test webhook it normalizes to, not as the production webhook it starts with.
        Arguments.of("/webhook/%2e%2e/webhook-test/x", 403, "route_denied", "/webhook-test/x"),
        Arguments.of("/webhook/./../%77ebhook-test/x", 403, "route_denied", "/webhook-test/x"),
        Arguments.of("//webhook-test/x", 403, "route_denied", "/webhook-test/x"),
        // Gatehouse's reserved paths are never forwarded, however spelled, even under the catch-all editor route:
        // a path under the prefix with no endpoint is 404 (and logged under the reserved route).
        Arguments.of("/_gatehouse/not-an-endpoint", 404, "no_route", "/_gatehouse/not-an-endpoint"),
        Arguments.of("/_GATEHOUSE/not-an-endpoint", 404, "no_route", "/_GATEHOUSE/not-an-endpoint"),
        Arguments.of("/%5Fgatehouse/x", 404, "no_route", "/_gatehouse/x"),
        Arguments.of("//_gatehouse/./x", 404, "no_route", "/_gatehouse/x"),
        Arguments.of("/rest/../_gatehouse/x", 404, "no_route", "/_gatehouse/x"));
  }

  @ParameterizedTest(name = "{0} is refused {1} {2}")
  @MethodSource("refused")
  void refusesAmbiguousOrDeniedTargetsWithoutReachingN8n(String target, int status, String code, String loggedPath)
      throws Exception {
    RawReply reply = send(target);

    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    String requestId = reply.header("X-Request-Id");
    assertThat(requestId).isNotBlank();
    assertThat(reply.json().get("error").asText()).isEqualTo(code);
    assertThat(reply.json().get("request_id").asText()).isEqualTo(requestId);
    assertThat(upstream.seen()).isEmpty();
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("reason").asText()).isEqualTo(code);
    assertThat(record.get("status").asInt()).isEqualTo(status);
    if (loggedPath != null) assertThat(record.get("path").asText()).isEqualTo(loggedPath);
  }

  private static RawReply send(String target) throws Exception {
    return RawReply.exchange(gateway,
        "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
  }
}
