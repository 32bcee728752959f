package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The basic forwarding contract, end to end over real TLS to a real upstream. */
class ForwardingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url());
  }

  @AfterAll static void stop() {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
  }

  @Test void forwardsOverHttp2WithGatewayOwnedForwardingHeaders() throws Exception {
    HttpResponse<String> response = gateway.http().send(
        HttpRequest.newBuilder(URI.create(gateway.url("/rest/settings?x=1")))
            .header("X-Forwarded-For", "6.6.6.6")
            .header("X-Forwarded-Host", "evil.example")
            .header("Forwarded", "for=6.6.6.6;host=evil.example")
            .header("X-Request-Id", "client-chosen-id-123")
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode seen = JSON.readTree(response.body());
    assertThat(seen.get("uri").asText()).isEqualTo("/rest/settings?x=1");
    JsonNode headers = seen.get("headers");
    assertThat(headers.get("x-forwarded-for").asText()).isEqualTo("127.0.0.1");
    assertThat(headers.get("x-forwarded-host").asText()).isEqualTo("localhost:8443");
    assertThat(headers.get("x-forwarded-proto").asText()).isEqualTo("https");
    assertThat(headers.has("forwarded")).isFalse();
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(requestId).isNotEqualTo("client-chosen-id-123");
    assertThat(headers.get("x-request-id").asText()).isEqualTo(requestId);
    assertThat(response.headers().firstValue("Server")).isEmpty();
    assertThat(response.headers().firstValue("X-Powered-By")).isEmpty();
    assertThat(response.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(v -> assertThat(v).contains("max-age="));
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("route").asText()).isEqualTo("editor");
    assertThat(record.get("status").asInt()).isEqualTo(200);
    assertThat(record.get("decision").asText()).isEqualTo("allow");
    assertThat(record.get("client_ip").asText()).isEqualTo("127.0.0.1");
  }

  @Test void joinsHttp2CookieCrumbsIntoOneCookieHeaderForTheHttp11Upstream() throws Exception {
    // RFC 9113 §8.2.3: an HTTP/2 client may send each cookie as its own field; HTTP/1.1 allows one Cookie line.
    RawHttp2Client.Reply reply = RawHttp2Client.send(gateway, List.of(
        Map.entry(":method", "GET"),
        Map.entry(":scheme", "https"),
        Map.entry(":authority", "localhost:" + gateway.port()),
        Map.entry(":path", "/rest/settings"),
        Map.entry("cookie", "a=1"),
        Map.entry("x-between", "1"),
        Map.entry("cookie", "b=2")));

    assertThat(reply.status()).as(reply.summary()).isEqualTo(200);
    assertThat(upstream.seen()).singleElement()
        .satisfies(seen -> assertThat(seen.headers().get("cookie")).containsExactly("a=1; b=2"));
  }

  @Test void joinsSeveralHttp11CookieLinesIntoOneCookieHeader() throws Exception {
    RawReply reply = RawReply.exchange(gateway, "GET /rest/settings HTTP/1.1\r\nHost: localhost\r\n"
        + "Cookie: a=1\r\nX-Between: 1\r\nCookie: b=2\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(upstream.seen()).singleElement()
        .satisfies(seen -> assertThat(seen.headers().get("cookie")).containsExactly("a=1; b=2"));
  }

  @Test void refusesTestWebhooksWith403RouteDeniedAndNeverForwards() throws Exception {
    HttpResponse<String> response = gateway.http1().send(
        HttpRequest.newBuilder(URI.create(gateway.url("/WEBHOOK-TEST/abc"))).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("route_denied");
    assertThat(JSON.readTree(response.body()).get("request_id").asText()).isEqualTo(requestId);
    assertThat(upstream.seen()).isEmpty();
    assertThat(gateway.accessRecord(requestId).get("reason").asText()).isEqualTo("route_denied");
  }

  @Test void answersBrowsersWithAnHtmlRefusalPage() throws Exception {
    HttpResponse<String> response = gateway.http1().send(
        HttpRequest.newBuilder(URI.create(gateway.url("/webhook-test/abc"))).header("Accept", "text/html,*/*").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(response.body()).contains("route_denied").contains(response.headers().firstValue("X-Request-Id").orElseThrow());
  }
}
