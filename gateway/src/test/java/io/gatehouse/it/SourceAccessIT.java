package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Source allow- and deny-lists end to end, over IPv4 and IPv6 loopback listeners, and the one way a client
 * address may come from a header: {@code X-Forwarded-For} from a configured trusted proxy.
 */
class SourceAccessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTES = """
      routes:
        - name: "loopback"
          match: ["/open/"]
          upstream: "main"
          allow: ["127.0.0.0/8"]
        - name: "ten-only"
          match: ["/ten/"]
          upstream: "main"
          allow: ["10.0.0.0/8"]
        - name: "carved"
          match: ["/carved/"]
          upstream: "main"
          allow: ["127.0.0.0/8"]
          deny: ["127.0.0.1/32"]
        - name: "closed"
          match: ["/closed/"]
          deny: "all"
        - name: "empty"
          match: ["/empty/"]
          upstream: "main"
          allow: []
      """;
  private static final String IPV6_ROUTES = """
      routes:
        - name: "v6-loopback"
          match: ["/v6/"]
          upstream: "main"
          allow: ["::1/128"]
        - name: "v4-only"
          match: ["/v4only/"]
          upstream: "main"
          allow: ["127.0.0.0/8"]
      """;

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness direct;
  private static GatewayHarness behindProxy;
  private static GatewayHarness ipv6;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    direct = GatewayHarness.start(upstream.url(), ROUTES, "");
    behindProxy = GatewayHarness.start(upstream.url(), ROUTES, "  trusted_proxies: [\"127.0.0.1/32\"]\n");
    ipv6 = GatewayHarness.start(upstream.url(), IPV6_ROUTES, "",
        GatewayHarness.Options.DEFAULTS.withListen("[::1]:0"));
  }

  @AfterAll static void stop() {
    ipv6.close();
    behindProxy.close();
    direct.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
  }

  @Test void letsAnIpv4ClientInsideTheAllowList() throws Exception {
    HttpResponse<String> response = get(direct, "/open/x");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/open/x");
    assertThat(direct.accessRecord(requestId(response)).get("client_ip").asText()).isEqualTo("127.0.0.1");
  }

  @Test void refusesAnIpv4ClientOutsideTheAllowList() throws Exception {
    assertRefused(direct, get(direct, "/ten/x"), 403, "source_not_allowed");
  }

  @Test void aDenyNetworkOverridesAnAllowThatCoversIt() throws Exception {
    assertRefused(direct, get(direct, "/carved/x"), 403, "source_not_allowed");
  }

  @Test void refusesEveryoneOnADenyAllRoute() throws Exception {
    assertRefused(direct, get(direct, "/closed/x"), 403, "route_denied");
  }

  @Test void refusesEveryoneOnARouteWithAnEmptyAllowList() throws Exception {
    assertRefused(direct, get(direct, "/empty/x"), 403, "source_not_allowed");
  }

  @Test void letsAnIpv6ClientInsideTheAllowList() throws Exception {
    HttpResponse<String> response = get(ipv6, "/v6/x");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(upstream.seen()).singleElement().satisfies(seen -> {
      assertThat(seen.uri()).isEqualTo("/v6/x");
      assertThat(InetAddress.getByName(seen.header("x-forwarded-for"))).isEqualTo(InetAddress.getByName("::1"));
    });
    InetAddress client = InetAddress.getByName(ipv6.accessRecord(requestId(response)).get("client_ip").asText());
    assertThat(client).isInstanceOf(Inet6Address.class).isEqualTo(InetAddress.getByName("::1"));
  }

  @Test void refusesAnIpv6ClientOnAnIpv4OnlyRoute() throws Exception {
    assertRefused(ipv6, get(ipv6, "/v4only/x"), 403, "source_not_allowed");
  }

  @Test void ignoresXForwardedForFromAnUntrustedPeer() throws Exception {
    assertRefused(direct, get(direct, "/ten/x", "X-Forwarded-For", "10.1.2.3"), 403, "source_not_allowed");

    HttpResponse<String> allowed = get(direct, "/open/x", "X-Forwarded-For", "10.1.2.3");
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(upstream.seen()).singleElement()
        .satisfies(seen -> assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1"));
    assertThat(direct.accessRecord(requestId(allowed)).get("client_ip").asText()).isEqualTo("127.0.0.1");
  }

  @Test void believesXForwardedForFromATrustedProxy() throws Exception {
    HttpResponse<String> response = get(behindProxy, "/ten/x", "X-Forwarded-For", "10.1.2.3");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(upstream.seen()).singleElement()
        .satisfies(seen -> assertThat(seen.header("x-forwarded-for")).isEqualTo("10.1.2.3"));
    assertThat(behindProxy.accessRecord(requestId(response)).get("client_ip").asText()).isEqualTo("10.1.2.3");
  }

  @Test void keepsATrustedProxysRequestIdAndReplacesAnUntrustedClients() throws Exception {
    HttpResponse<String> trusted = get(behindProxy, "/open/x", "X-Request-Id", "proxy-id-12345678");
    assertThat(trusted.statusCode()).isEqualTo(200);
    assertThat(requestId(trusted)).isEqualTo("proxy-id-12345678");
    assertThat(JSON.readTree(trusted.body()).get("headers").get("x-request-id").asText()).isEqualTo("proxy-id-12345678");
    assertThat(behindProxy.accessRecord("proxy-id-12345678").get("route").asText()).isEqualTo("loopback");

    HttpResponse<String> untrusted = get(direct, "/open/x", "X-Request-Id", "client-id-12345678");
    assertThat(untrusted.statusCode()).isEqualTo(200);
    String replaced = requestId(untrusted);
    assertThat(replaced).isNotEqualTo("client-id-12345678");
    assertThat(JSON.readTree(untrusted.body()).get("headers").get("x-request-id").asText()).isEqualTo(replaced);
  }

  private static HttpResponse<String> get(GatewayHarness gateway, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url(path)));
    if (headers.length > 0) request.headers(headers);
    return gateway.http1().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String requestId(HttpResponse<?> response) {
    return response.headers().firstValue("X-Request-Id").orElseThrow();
  }

  private static void assertRefused(GatewayHarness gateway, HttpResponse<String> response, int status, String code)
      throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    String requestId = requestId(response);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("error").asText()).isEqualTo(code);
    assertThat(body.get("request_id").asText()).isEqualTo(requestId);
    assertThat(upstream.seen()).isEmpty();
    JsonNode record = gateway.accessRecord(requestId);
    assertThat(record.get("reason").asText()).isEqualTo(code);
    assertThat(record.get("decision").asText()).isNotEqualTo("allow");
  }
}
