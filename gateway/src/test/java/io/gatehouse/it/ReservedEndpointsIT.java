package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gatehouse's own endpoints answer by themselves whatever the IdP's state: here the issuer is unreachable, so
 * nothing that needs it can succeed, and every answer must still be a refusal with a code, never a hang.
 * The endpoints against a real IdP: {@code io.gatehouse.idp.SsoLoginIT}.
 */
class ReservedEndpointsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECTIONS = """
      sso:
        issuer: "http://127.0.0.1:1/realms/none"
        client_id: "gatehouse"
        client_secret: "client-secret-0123456789"
        cookie_secret: "cookie-secret-for-the-reserved-endpoints-test-0123456789"
      routes:
        - name: "editor"
          match: ["/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          auth: "sso"
      """;

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), SECTIONS, "");
  }

  @AfterAll static void stop() {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @Test void aBackChannelLogoutThatIsNotAFormOrNotAPostIsRefused400() throws Exception {
    for (HttpRequest.Builder request : java.util.List.of(
        HttpRequest.newBuilder(URI.create(gateway.url("/_gatehouse/oidc/backchannel-logout"))),
        HttpRequest.newBuilder(URI.create(gateway.url("/_gatehouse/oidc/backchannel-logout")))
            .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("logout_token=x")))) {
      HttpResponse<String> answer = gateway.http1().send(request.build(), HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("bad_request");
    }
  }

  @Test void aBackChannelLogoutWhoseTokenCannotBeCheckedIsRefused503() throws Exception {
    HttpResponse<String> answer = gateway.http1().send(HttpRequest.newBuilder(
            URI.create(gateway.url("/_gatehouse/oidc/backchannel-logout")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("logout_token=a.b.c")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("idp_unavailable");
  }

  @Test void aLoginThatCannotStartBecauseTheIdpIsDownIs503AndWhoamiWithoutASessionIs401() throws Exception {
    HttpResponse<String> login = gateway.http1().send(HttpRequest.newBuilder(URI.create(gateway.url("/")))
        .header("Sec-Fetch-Mode", "navigate").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(503);
    assertThat(login.body()).contains("idp_unavailable");
    HttpResponse<String> whoami = gateway.http1().send(HttpRequest.newBuilder(
        URI.create(gateway.url("/_gatehouse/whoami"))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(whoami.statusCode()).isEqualTo(401);
    assertThat(upstream.seen()).isEmpty();
  }
}
