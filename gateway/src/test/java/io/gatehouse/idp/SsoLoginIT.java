package io.gatehouse.idp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.it.GatewayHarness;
import io.gatehouse.it.GatewayProcess;
import io.gatehouse.it.TestUpstream;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code auth: sso} and {@code auth: bearer} end to end against a real Keycloak (the test realm of
 * {@link TestRealm}): the code flow with PKCE through Keycloak's own login form, the session it leaves, the rules on
 * groups, revalidation cutting off a disabled user, logout, n8n's password login refused, and bearer tokens minted
 * by Keycloak, forged and foreign ones refused. A plain HTTP client plays the browser (one cookie jar per person);
 * {@code SsoBrowserIT} does the same in Chromium.
 */
class SsoLoginIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static KeycloakServer keycloak;
  private static GatewayHarness gateway;
  private static String publicUrl;

  @BeforeAll static void start() throws Exception {
    keycloak = KeycloakServer.shared();
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    int port = GatewayProcess.freePort();
    publicUrl = "https://localhost:" + port;
    keycloak.admin().configureGatehouseClient(List.of(publicUrl + "/_gatehouse/oidc/callback"),
        List.of(publicUrl + "/"), Optional.empty());
    String sections = """
        sso:
          issuer: "%s"
          client_id: "%s"
          client_secret: "%s"
          cookie_secret: "cookie-secret-for-the-sso-login-test-0123456789"
          groups_claim: "groups"
          mfa_acr: "%s"
          session: { idle_timeout: "30m", max_lifetime: "1h", revalidate_every: "5s", idp_down_grace: "10s" }
        routes:
          - name: "public-api"
            match: ["/api/v1/"]
            upstream: "main"
            allow: ["127.0.0.0/8", "::1/128"]
            auth: "bearer"
            bearer: { audience: "%s", scopes: ["%s"] }
          - name: "editor"
            match: ["/"]
            upstream: "main"
            allow: ["127.0.0.0/8", "::1/128"]
            auth: "sso"
            require_groups: ["%s"]
        """.formatted(keycloak.issuer(), keycloak.clientId(), keycloak.clientSecret(), TestRealm.ACR_MFA,
        TestRealm.API_AUDIENCE, TestRealm.API_SCOPE, TestRealm.GROUP);
    gateway = GatewayHarness.start(upstream.url(), sections, "",
        GatewayHarness.Options.DEFAULTS.withListen("127.0.0.1:" + port).withPublicUrl(publicUrl));
  }

  @AfterAll static void stop() {
    if (gateway != null) gateway.close();
    if (upstream != null) upstream.close();
    if (vertx != null) vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
  }

  @Test void aBrowserWithoutASessionIsSentToTheIdpWithPkceStateAndNonceAndNothingReachesN8n() throws Exception {
    LoginBrowser browser = new LoginBrowser(gateway.sslContext(), publicUrl);

    HttpResponse<String> answer = browser.navigate(publicUrl + "/workflow/42?tab=x");

    assertThat(answer.statusCode()).isEqualTo(302);
    URI location = URI.create(answer.headers().firstValue("Location").orElseThrow());
    assertThat(location.toString()).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth");
    Map<String, String> query = LoginBrowser.query(location);
    assertThat(query).containsEntry("client_id", keycloak.clientId())
        .containsEntry("redirect_uri", publicUrl + "/_gatehouse/oidc/callback")
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("response_type", "code");
    assertThat(query.get("state")).hasSizeGreaterThanOrEqualTo(22);
    assertThat(query.get("nonce")).hasSizeGreaterThanOrEqualTo(22);
    assertThat(query.get("code_challenge")).hasSize(43);
    assertThat(answer.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
        .startsWith("__Host-gatehouse-login-").contains("Secure").contains("HttpOnly").contains("SameSite=Lax")
        .contains("Path=/"));
    assertThat(upstream.seen()).isEmpty();
  }

  @Test void xhrRestCallsAndWebSocketHandshakesWithoutASessionGet401JsonNeverARedirect() throws Exception {
    LoginBrowser browser = new LoginBrowser(gateway.sslContext(), publicUrl);
    for (HttpRequest.Builder request : List.of(
        browser.request(publicUrl + "/rest/settings").header("Accept", "application/json"),
        browser.request(publicUrl + "/rest/settings").header("Accept", "text/html").header("Sec-Fetch-Mode", "cors"),
        browser.request(publicUrl + "/assets/x.js").header("Sec-Fetch-Mode", "no-cors"))) {
      HttpResponse<String> answer = browser.send(request);

      assertThat(answer.statusCode()).isEqualTo(401);
      assertThat(answer.headers().firstValue("Location")).isEmpty();
      assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("unauthenticated");
    }
    assertThat(upstream.seen()).isEmpty();
  }

  @Test void aMemberLogsInAtKeycloakReturnsToThePageFirstAskedForAndReachesN8nAsThemselves() throws Exception {
    LoginBrowser alice = new LoginBrowser(gateway.sslContext(), publicUrl);

    HttpResponse<String> back = alice.logIn(publicUrl + "/workflow/42?tab=x", TestRealm.ALICE);

    assertThat(back.statusCode()).isEqualTo(302);
    assertThat(back.headers().firstValue("Location")).contains("/workflow/42?tab=x");
    String sessionCookie = back.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("__Host-gatehouse-session=")).findFirst().orElseThrow();
    assertThat(sessionCookie).contains("Secure").contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");
    assertThat(sessionCookie.length()).isLessThan(4096);

    HttpResponse<String> page = alice.navigate(publicUrl + "/workflow/42?tab=x");
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    TestUpstream.Seen seen = upstream.seen().get(0);
    JsonNode whoami = JSON.readTree(alice.send(alice.request(publicUrl + "/_gatehouse/whoami")).body());
    assertThat(whoami.get("email").asText()).isEqualTo(TestRealm.ALICE.email());
    assertThat(whoami.get("groups")).extracting(JsonNode::asText).containsExactly(TestRealm.GROUP);
    assertThat(whoami.has("refresh_token")).isFalse();
    assertThat(seen.header("X-Forwarded-User")).isEqualTo(whoami.get("subject").asText());
    assertThat(seen.header("X-Forwarded-Email")).isEqualTo(TestRealm.ALICE.email());
    assertThat(String.valueOf(seen.header("Cookie"))).doesNotContain("__Host-gatehouse");
    assertThat(seen.header("Authorization")).isNull();
    JsonNode record = gateway.accessRecord(page.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(record.get("identity").asText()).isEqualTo(whoami.get("subject").asText());
    assertThat(record.toString()).doesNotContain(sessionCookie.substring(25, 60));
    // The login is an entry of its own, naming the person as the IdP asserted them; no token, no cookie.
    JsonNode login = gateway.auditEntry("sso", e -> e.path("event").asText().equals("login")
        && e.path("email").asText().equals(TestRealm.ALICE.email()));
    assertThat(login.get("subject").asText()).isEqualTo(whoami.get("subject").asText());
    assertThat(login.get("groups")).extracting(JsonNode::asText).contains(TestRealm.GROUP);
    assertThat(login.has("mfa")).isTrue();
    assertThat(login.toString()).doesNotContain(sessionCookie.substring(25, 60)).doesNotContainIgnoringCase("token\":");
  }

  @Test void aPersonOutsideTheRequiredGroupsIsRefused403WithAPageNamingTheRuleButNotTheirClaims() throws Exception {
    LoginBrowser bob = new LoginBrowser(gateway.sslContext(), publicUrl);
    bob.logIn(publicUrl + "/", TestRealm.BOB);

    HttpResponse<String> page = bob.navigate(publicUrl + "/");

    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body()).contains("forbidden").contains("groups").doesNotContain(TestRealm.BOB.email());
    assertThat(upstream.seen()).isEmpty();
  }

  @Test void aPersonWhoseEmailTheIdpHasNotVerifiedIsNotLetInBecauseN8nUsersAreFoundByEmail() throws Exception {
    keycloak.admin().setEmailVerified(TestRealm.CAROL.username(), false);
    try {
      LoginBrowser carol = new LoginBrowser(gateway.sslContext(), publicUrl);
      HttpResponse<String> back = carol.send(carol.request(
          carol.callbackAfterKeycloakLogin(publicUrl + "/", TestRealm.CAROL)));

      assertThat(back.statusCode()).isEqualTo(401);
      assertThat(carol.cookie("__Host-gatehouse-session")).isEmpty();
    } finally {
      keycloak.admin().setEmailVerified(TestRealm.CAROL.username(), true);
    }
  }

  @Test void aCallbackReplayedOrForgedOrWithoutItsLoginCookieIsRefused() throws Exception {
    LoginBrowser alice = new LoginBrowser(gateway.sslContext(), publicUrl);
    String callback = alice.callbackAfterKeycloakLogin(publicUrl + "/", TestRealm.ALICE);
    String loginCookies = alice.cookieHeader(publicUrl);
    assertThat(alice.send(alice.request(callback)).statusCode()).isEqualTo(302);

    // The same callback again, even with the spent login cookie sent back by hand.
    HttpResponse<String> replayed = new LoginBrowser(gateway.sslContext(), publicUrl).send(HttpRequest.newBuilder(URI.create(callback))
        .header("Cookie", loginCookies));
    assertThat(replayed.statusCode()).isEqualTo(401);
    // Another browser's callback (login CSRF): no login cookie of its own.
    assertThat(new LoginBrowser(gateway.sslContext(), publicUrl).send(new LoginBrowser(gateway.sslContext(), publicUrl).request(callback)).statusCode()).isEqualTo(401);
    // A state that was never issued.
    assertThat(new LoginBrowser(gateway.sslContext(), publicUrl).send(new LoginBrowser(gateway.sslContext(), publicUrl).request(publicUrl + "/_gatehouse/oidc/callback?code=x&state="
        + "A".repeat(22))).statusCode()).isEqualTo(401);
    assertThat(new LoginBrowser(gateway.sslContext(), publicUrl).send(new LoginBrowser(gateway.sslContext(), publicUrl).request(publicUrl + "/_gatehouse/oidc/callback?error=access_denied"))
        .statusCode()).isEqualTo(401);
  }

  @Test void openRedirectAttemptsReturnToAPathOnThisGatewayOnly() throws Exception {
    for (String target : List.of("//evil.example/x", "/%2F%2Fevil.example", "/%5Cevil.example", "/https:/evil.example")) {
      LoginBrowser alice = new LoginBrowser(gateway.sslContext(), publicUrl);
      HttpResponse<String> first = alice.send(alice.request(publicUrl + target).header("Sec-Fetch-Mode", "navigate"));
      if (first.statusCode() != 302) {
        // Refused as ambiguous before any login (encoded slash, backslash): nothing to redirect to.
        assertThat(first.statusCode()).as(target).isEqualTo(400);
        continue;
      }
      HttpResponse<String> back = alice.logIn(publicUrl + target, TestRealm.ALICE);
      String location = back.headers().firstValue("Location").orElseThrow();
      assertThat(location).as(target).startsWith("/").doesNotStartWith("//").doesNotContain("\\");
      assertThat(URI.create(publicUrl).resolve(location).getHost()).isEqualTo("localhost");
    }
  }

  @Test void aTamperedSessionCookieIsRefusedAndN8nsPasswordLoginIsRefusedWithSsoRequired() throws Exception {
    LoginBrowser alice = new LoginBrowser(gateway.sslContext(), publicUrl);
    alice.logIn(publicUrl + "/", TestRealm.ALICE);
    String value = alice.cookie("__Host-gatehouse-session").orElseThrow();
    char flipped = value.charAt(20) == 'A' ? 'B' : 'A';
    String tampered = value.substring(0, 20) + flipped + value.substring(21);

    HttpResponse<String> answer = new LoginBrowser(gateway.sslContext(), publicUrl).send(HttpRequest.newBuilder(URI.create(publicUrl + "/rest/settings"))
        .header("Cookie", "__Host-gatehouse-session=" + tampered));
    assertThat(answer.statusCode()).isEqualTo(401);

    // n8n's router takes any case and one trailing slash: so does the refusal.
    for (String path : List.of("/rest/login", "/rest/login/", "/REST/Login", "//rest/./login")) {
      HttpResponse<String> login = alice.send(alice.request(publicUrl + path)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"emailOrLdapLoginId\":\"owner@x\",\"password\":\"p\"}")));
      assertThat(login.statusCode()).as(path).isEqualTo(403);
      assertThat(JSON.readTree(login.body()).get("error").asText()).isEqualTo("sso_required");
    }
    assertThat(upstream.seen()).isEmpty();
  }

  @Test void logoutEndsTheSessionHereAndACopiedCookieStopsWorking() throws Exception {
    LoginBrowser alice = new LoginBrowser(gateway.sslContext(), publicUrl);
    alice.logIn(publicUrl + "/", TestRealm.ALICE);
    String copied = alice.cookie("__Host-gatehouse-session").orElseThrow();

    HttpResponse<String> out = alice.send(alice.request(publicUrl + "/_gatehouse/logout"));

    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
        .startsWith("__Host-gatehouse-session=;").contains("Max-Age=0"));
    HttpResponse<String> afterwards = new LoginBrowser(gateway.sslContext(), publicUrl).send(HttpRequest.newBuilder(URI.create(publicUrl + "/rest/x"))
        .header("Cookie", "__Host-gatehouse-session=" + copied));
    assertThat(afterwards.statusCode()).isEqualTo(401);
  }

  @Test void anOpenWebSocketOfASessionThatEndsIsClosedWithinRevalidateEvery() throws Exception {
    LoginBrowser alice = new LoginBrowser(gateway.sslContext(), publicUrl);
    alice.logIn(publicUrl + "/", TestRealm.ALICE);
    String session = alice.cookie("__Host-gatehouse-session").orElseThrow();
    try (javax.net.ssl.SSLSocket socket = gateway.connect()) {
      socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Origin: " + publicUrl + "\r\nCookie: __Host-gatehouse-session=" + session + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      byte[] head = new byte[12];
      int read = 0;
      while (read < head.length) read += socket.getInputStream().read(head, read, head.length - read);
      assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");

      alice.send(alice.request(publicUrl + "/_gatehouse/logout"));

      // revalidate_every is 5 s: the tunnel is checked at that pace and closed once the session is revoked.
      socket.setSoTimeout(12_000);
      long started = System.nanoTime();
      int b;
      do {
        b = socket.getInputStream().read();
      } while (b != -1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(11));
    }
  }

  @Test void aUserDisabledAndLoggedOutAtTheIdpLosesAccessWithinRevalidateEvery() throws Exception {
    LoginBrowser carol = new LoginBrowser(gateway.sslContext(), publicUrl);
    carol.logIn(publicUrl + "/", TestRealm.CAROL);
    assertThat(carol.send(carol.request(publicUrl + "/rest/x")).statusCode()).isEqualTo(200);
    try {
      keycloak.admin().cutOff(TestRealm.CAROL.username());
      // revalidate_every is 5 s: after it, the next request makes the refresh the IdP now refuses.
      Thread.sleep(5_500);

      HttpResponse<String> cutOff = carol.send(carol.request(publicUrl + "/rest/x"));

      assertThat(cutOff.statusCode()).isEqualTo(401);
    } finally {
      keycloak.admin().setEnabled(TestRealm.CAROL.username(), true);
    }
  }

  @Test void theBackChannelLogoutEndpointRefusesWhatIsNotASignedLogoutTokenAndLoginsAreCounted() throws Exception {
    String accessToken = keycloak.apiClient().clientCredentials().accessToken();
    LoginBrowser idp = new LoginBrowser(gateway.sslContext(), publicUrl);
    for (HttpRequest.Builder request : List.of(
        idp.request(publicUrl + "/_gatehouse/oidc/backchannel-logout"),
        idp.request(publicUrl + "/_gatehouse/oidc/backchannel-logout").header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("logout_token=x")),
        idp.request(publicUrl + "/_gatehouse/oidc/backchannel-logout")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("logout_token=eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4In0.")),
        // An access token is signed by the IdP, but it is not a logout token (no events, not for this client).
        idp.request(publicUrl + "/_gatehouse/oidc/backchannel-logout")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + accessToken)))) {
      HttpResponse<String> answer = idp.send(request);

      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("bad_request");
    }
    new LoginBrowser(gateway.sslContext(), publicUrl).logIn(publicUrl + "/", TestRealm.ALICE);
    assertThat(gateway.metrics()).containsPattern("gatehouse_sso_events_total\\{event=\"login\",outcome=\"ok\"\\} [1-9]");
  }

  @Test void bearerTokensFromTheIssuerPassAndForgedExpiredOrForeignOnesAreRefusedWithoutReachingN8n() throws Exception {
    String token = keycloak.apiClient().clientCredentials().accessToken();
    HttpClient http = gateway.http1();

    HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(publicUrl + "/api/v1/workflows"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(upstream.seen().get(0).header("Authorization")).isNull();
    upstream.clear();

    String[] parts = token.split("\\.");
    String noneAlg = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"
        .getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
    String tamperedPayload = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "xx." + parts[2];
    for (String bad : List.of(noneAlg, tamperedPayload, parts[0] + "." + parts[1] + "." + parts[2].substring(3),
        "not.a.jwt", token + "x")) {
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(publicUrl + "/api/v1/workflows"))
          .header("Authorization", "Bearer " + bad).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(bad).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
    }
    HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(publicUrl + "/api/v1/workflows")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
    assertThat(upstream.seen()).isEmpty();
  }

}
