package io.gatehouse.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.tls.DevCertificateWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/**
 * Proves the SSO test infrastructure, not the gateway: a real Keycloak started from the pinned install with
 * {@code gatehouse-test-realm.json}, a real headless Chromium signing in on Keycloak's own login page, and the
 * admin API the gateway's SSO tests use to cut people off. If one of these fails, the SSO tests built on them
 * would fail for reasons that are not the gateway's.
 */
// Above KeycloakServer's start timeout, so a slow start reports its log rather than a bare timeout.
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakInfrastructureIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALLBACK_WAIT = Duration.ofSeconds(30);

  private static KeycloakServer keycloak;
  private static Path certs;
  private static LoopbackCallbackServer callback;
  /** Keycloak refuses an OTP code used once: the next login waits for a new one. */
  private static String lastOtpUsed;

  @BeforeAll
  static void startKeycloak() throws Exception {
    certs = Files.createTempDirectory("gatehouse-idp-certs");
    new DevCertificateWriter().writeServer(certs);
    callback = new LoopbackCallbackServer(certs);
    // Trusting the dev CA lets Keycloak deliver back-channel logouts to the loopback relying party over https.
    keycloak = KeycloakServer.launch(List.of(certs.resolve(DevCertificateWriter.CA_CERT)));
  }

  @AfterAll
  static void stopKeycloak() throws Exception {
    if (callback != null) callback.close();
    if (keycloak != null) keycloak.close();
    if (certs != null) {
      try (var paths = Files.walk(certs)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void discoveryDocumentNamesTheIssuerItsKeysAndTheLogoutEndpoint() throws Exception {
    JsonNode discovery = getJson(keycloak.discoveryUrl());

    String issuer = "http://127.0.0.1:" + keycloak.port() + "/realms/" + TestRealm.NAME;
    assertThat(keycloak.issuer()).isEqualTo(issuer);
    assertThat(discovery.path("issuer").asText()).isEqualTo(issuer);
    assertThat(discovery.path("jwks_uri").asText()).isEqualTo(issuer + "/protocol/openid-connect/certs");
    assertThat(discovery.path("end_session_endpoint").asText()).isEqualTo(issuer + "/protocol/openid-connect/logout");
    assertThat(discovery.path("backchannel_logout_session_supported").asBoolean()).isTrue();
    JsonNode keys = getJson(URI.create(discovery.path("jwks_uri").asText())).path("keys");
    assertThat(keys.findValuesAsText("alg")).as("signing algorithms in the JWKS").contains("RS256");
  }

  @Test
  void apiClientGetsAnAccessTokenForTheN8nApi() throws Exception {
    TokenEndpointClient.TokenResponse response = keycloak.apiClient().clientCredentials();

    assertThat(response.ok()).as("%s", response).isTrue();
    JwtPayload token = JwtPayload.of(response.accessToken());
    assertThat(token.string("sub")).isNotBlank();
    assertThat(token.string("iss")).isEqualTo(keycloak.issuer());
    assertThat(token.strings("aud")).contains(TestRealm.API_AUDIENCE);
    assertThat(token.scopes()).contains(TestRealm.API_SCOPE);
    assertThat(token.string("azp")).isEqualTo(TestRealm.API_CLIENT_ID);
    assertThat(token.claims().path("exp").asLong()).isGreaterThan(token.claims().path("iat").asLong());
  }

  @Test
  void aliceSignsInOnKeycloaksPageAndHerIdTokenCarriesTheGroup() throws Exception {
    Login login = signInWithBrowser(TestRealm.ALICE, Optional.empty());

    JwtPayload id = JwtPayload.of(login.tokens().idToken());
    assertThat(id.string("sub")).isEqualTo(keycloak.admin().userId("alice"));
    assertThat(id.string("iss")).isEqualTo(keycloak.issuer());
    assertThat(id.strings("aud")).containsExactly(TestRealm.GATEHOUSE_CLIENT_ID);
    assertThat(id.string("nonce")).isEqualTo(login.request().nonce());
    assertThat(id.strings(TestRealm.GROUPS_CLAIM)).containsExactly(TestRealm.GROUP);
    assertThat(id.string("email")).isEqualTo(TestRealm.ALICE.email());
    assertThat(id.string("name")).isEqualTo(TestRealm.ALICE.fullName());
    assertThat(id.string("acr")).isEqualTo(TestRealm.ACR_PASSWORD);
    assertThat(id.strings("amr")).containsExactly(TestRealm.AMR_PASSWORD);
    assertThat(id.string("sid")).as("sid, which back-channel logout tokens name").isNotBlank();
    JwtPayload access = JwtPayload.of(login.tokens().accessToken());
    assertThat(access.strings(TestRealm.GROUPS_CLAIM)).containsExactly(TestRealm.GROUP);
    assertThat(login.passwordAsked()).isTrue();
    assertThat(login.otpAsked()).as("OTP form shown for a password-level login").isFalse();
  }

  @Test
  void bobSignsInAndHisIdTokenHasNoN8nUsersGroup() throws Exception {
    Login login = signInWithBrowser(TestRealm.BOB, Optional.empty());

    JwtPayload id = JwtPayload.of(login.tokens().idToken());
    assertThat(id.string("sub")).isEqualTo(keycloak.admin().userId("bob"));
    assertThat(id.string("email")).isEqualTo(TestRealm.BOB.email());
    assertThat(id.strings(TestRealm.GROUPS_CLAIM)).doesNotContain(TestRealm.GROUP);
  }

  @Test
  void carolSignedInWithHerPasswordStepsUpWithOtpWhenMfaIsAskedFor() throws Exception {
    try (HeadlessBrowser browser = startBrowser()) {
      Login password = signIn(browser, TestRealm.CAROL, Optional.empty());
      assertThat(password.passwordAsked()).isTrue();
      assertThat(password.otpAsked()).as("OTP form without acr_values, though carol has OTP").isFalse();
      assertThat(JwtPayload.of(password.tokens().idToken()).string("acr")).isEqualTo(TestRealm.ACR_PASSWORD);

      // The same browser, so Keycloak's SSO cookie is there: only the missing factor is asked for.
      Login stepUp = signIn(browser, TestRealm.CAROL, Optional.of(TestRealm.ACR_MFA));

      assertThat(stepUp.passwordAsked()).as("password form again during the step-up").isFalse();
      assertThat(stepUp.otpAsked()).as("Keycloak's OTP form during the step-up").isTrue();
      JwtPayload id = JwtPayload.of(stepUp.tokens().idToken());
      assertThat(id.string("acr")).isEqualTo(TestRealm.ACR_MFA);
      assertThat(id.strings("amr")).contains(TestRealm.AMR_OTP);
      assertThat(id.string("sid")).as("the same Keycloak session").isEqualTo(
          JwtPayload.of(password.tokens().idToken()).string("sid"));
      assertThat(id.strings(TestRealm.GROUPS_CLAIM)).containsExactly(TestRealm.GROUP);
    }
  }

  @Test
  void carolAskedForMfaAtFirstLoginGivesPasswordAndOtp() throws Exception {
    Login login = signInWithBrowser(TestRealm.CAROL, Optional.of(TestRealm.ACR_MFA));

    assertThat(login.passwordAsked()).isTrue();
    assertThat(login.otpAsked()).as("Keycloak's OTP form after the password").isTrue();
    JwtPayload id = JwtPayload.of(login.tokens().idToken());
    assertThat(id.string("acr")).isEqualTo(TestRealm.ACR_MFA);
    assertThat(id.strings("amr")).contains(TestRealm.AMR_PASSWORD, TestRealm.AMR_OTP);
  }

  @Test
  void browserRefusesAnHttpsServerWhoseCaItWasNotGiven() throws Exception {
    callback.forgetCallbacks();
    try (HeadlessBrowser browser = HeadlessBrowser.start(List.of())) {
      browser.open(callback.redirectUri() + "?probe=1");
      assertThat(browser.pageText()).doesNotContain(LoopbackCallbackServer.LANDED);
    }
    assertThatThrownBy(() -> callback.awaitCallback(Duration.ofSeconds(1))).as("a request reaching the callback")
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void authorizationRequestWithoutPkceIsRefused() throws Exception {
    keycloak.admin().configureGatehouseClient(List.of(callback.redirectUri()), List.of(), Optional.empty());
    AuthorizationRequest request = AuthorizationRequest.create(TestRealm.GATEHOUSE_CLIENT_ID, callback.redirectUri());
    String withoutPkce = request.uri(keycloak.authorizationEndpoint()).toString()
        .replaceAll("&code_challenge=[^&]*", "").replaceAll("&code_challenge_method=[^&]*", "");

    HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(withoutPkce))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());

    assertThat(response.statusCode()).isEqualTo(302);
    String location = response.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(callback.redirectUri() + "?").contains("error=invalid_request")
        .doesNotContain("code=");
  }

  @Test
  void codeExchangeWithTheWrongVerifierIsRefused() throws Exception {
    Login login;
    try (HeadlessBrowser browser = startBrowser()) {
      login = authorize(browser, TestRealm.BOB, Optional.empty());
    }

    TokenEndpointClient.TokenResponse response = keycloak.gatehouseClient()
        .authorizationCode(login.code(), callback.redirectUri(), Pkce.create().verifier());

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error()).isEqualTo("invalid_grant");
  }

  @Test
  void aliceDisabledAndLoggedOutAtKeycloakCannotRefreshHerTokens() throws Exception {
    Login login = signInWithBrowser(TestRealm.ALICE, Optional.empty());
    KeycloakAdmin admin = keycloak.admin();
    try {
      TokenEndpointClient.TokenResponse refreshed = keycloak.gatehouseClient().refresh(login.tokens().refreshToken());
      assertThat(refreshed.ok()).as("refresh before the cut-off: %s", refreshed).isTrue();
      assertThat(admin.sessions("alice")).as("alice's sessions before the cut-off").isNotEmpty()
          .allSatisfy(session -> assertThat(session.clients()).isNotEmpty());

      admin.cutOff("alice");

      TokenEndpointClient.TokenResponse refused = keycloak.gatehouseClient().refresh(refreshed.refreshToken());
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.error()).isEqualTo("invalid_grant");
      assertThat(admin.sessions("alice")).as("alice's sessions after the cut-off").isEmpty();
    } finally {
      admin.setEnabled("alice", true);
    }
  }

  @Test
  void loggingAliceOutAtKeycloakPostsALogoutTokenToTheClientsBackchannelUrlOverHttps() throws Exception {
    keycloak.admin().logout("alice"); // sessions other tests left, which would get logout tokens of their own
    Login login = signInWithBrowser(TestRealm.ALICE, Optional.empty());
    JwtPayload id = JwtPayload.of(login.tokens().idToken());
    keycloak.admin().configureGatehouseClient(List.of(callback.redirectUri()), List.of(),
        Optional.of(callback.backchannelLogoutUri()));

    keycloak.admin().logout("alice");

    String logoutToken = callback.awaitLogoutToken(CALLBACK_WAIT);
    JwtPayload logout = JwtPayload.of(logoutToken);
    assertThat(JwtPayload.header(logoutToken).string("typ")).isEqualTo("logout+jwt");
    assertThat(logout.string("iss")).isEqualTo(keycloak.issuer());
    assertThat(logout.strings("aud")).contains(TestRealm.GATEHOUSE_CLIENT_ID);
    assertThat(logout.string("sub")).isEqualTo(id.string("sub"));
    assertThat(logout.string("sid")).isEqualTo(id.string("sid"));
    assertThat(logout.claims().path("events").has("http://schemas.openid.net/event/backchannel-logout")).isTrue();
    assertThat(logout.has("nonce")).isFalse();
    assertThatThrownBy(() -> callback.awaitLogoutToken(Duration.ofSeconds(1))).as("a second logout token")
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void adminMovesBobIntoTheGroupAndOutAgain() throws Exception {
    KeycloakAdmin admin = keycloak.admin();
    assertThat(admin.groups("bob")).doesNotContain(TestRealm.GROUP);
    try {
      admin.addToGroup("bob", TestRealm.GROUP);
      assertThat(admin.groups("bob")).containsExactly(TestRealm.GROUP);
    } finally {
      admin.removeFromGroup("bob", TestRealm.GROUP);
    }
    assertThat(admin.groups("bob")).doesNotContain(TestRealm.GROUP);
  }

  @Test
  void adminPointsTheGatehouseClientAtTheGatewaysUrls() throws Exception {
    String base = "https://127.0.0.1:" + callback.port();
    keycloak.admin().configureGatehouseClient(List.of(base + "/_gatehouse/oidc/callback", callback.redirectUri()),
        List.of(base + "/", base + "/_gatehouse/logged-out"), Optional.of(base + "/_gatehouse/oidc/backchannel-logout"));

    JsonNode client = keycloak.admin().client(TestRealm.GATEHOUSE_CLIENT_ID);
    assertThat(JSON.convertValue(client.path("redirectUris"), List.class))
        .containsExactlyInAnyOrder(base + "/_gatehouse/oidc/callback", callback.redirectUri());
    JsonNode attributes = client.path("attributes");
    assertThat(attributes.path("post.logout.redirect.uris").asText()).isEqualTo(base + "/##" + base + "/_gatehouse/logged-out");
    assertThat(attributes.path("backchannel.logout.url").asText()).isEqualTo(base + "/_gatehouse/oidc/backchannel-logout");
    assertThat(attributes.path("pkce.code.challenge.method").asText()).as("realm settings kept").isEqualTo("S256");
    assertThat(attributes.path("backchannel.logout.session.required").asText()).isEqualTo("true");
    assertThat(client.path("frontchannelLogout").asBoolean()).isFalse();
  }

  /** Last: if Keycloak does not come back, only this test fails. */
  @Test
  @Order(Integer.MAX_VALUE)
  void keycloakStoppedThenStartedAnswersAgainOnTheSamePort() throws Exception {
    int port = keycloak.port();
    keycloak.stop();
    assertThatThrownBy(() -> getJson(keycloak.discoveryUrl())).as("discovery while stopped")
        .isInstanceOf(IOException.class);

    keycloak.start();

    assertThat(keycloak.port()).isEqualTo(port);
    assertThat(getJson(keycloak.discoveryUrl()).path("issuer").asText()).isEqualTo(keycloak.issuer());
    assertThat(keycloak.apiClient().clientCredentials().ok()).as("a token from the re-imported realm").isTrue();
  }

  /** What a relying party has after a login: the request it sent, the code it got, the tokens it exchanged. */
  private record Login(AuthorizationRequest request, String code, TokenEndpointClient.TokenResponse tokens,
      boolean passwordAsked, boolean otpAsked) {}

  private static HeadlessBrowser startBrowser() throws Exception {
    return HeadlessBrowser.start(List.of(certs.resolve(DevCertificateWriter.CA_CERT)));
  }

  /** {@link #signIn} in a fresh browser, with the code exchanged. */
  private static Login signInWithBrowser(DemoUser user, Optional<String> acr) throws Exception {
    try (HeadlessBrowser browser = startBrowser()) {
      return signIn(browser, user, acr);
    }
  }

  private static Login signIn(HeadlessBrowser browser, DemoUser user, Optional<String> acr) throws Exception {
    Login login = authorize(browser, user, acr);
    TokenEndpointClient.TokenResponse tokens = keycloak.gatehouseClient()
        .authorizationCode(login.code(), callback.redirectUri(), login.request().pkce().verifier());
    assertThat(tokens.ok()).as("code exchange: %s", tokens).isTrue();
    return new Login(login.request(), login.code(), tokens, login.passwordAsked(), login.otpAsked());
  }

  /**
   * Sends the browser to Keycloak's authorization endpoint for the {@code gatehouse} client, answers whatever
   * Keycloak asks of {@code user} (password, OTP, or nothing when its session cookie suffices), and follows the
   * redirect to the loopback callback over HTTPS. The code is not exchanged.
   */
  private static Login authorize(HeadlessBrowser browser, DemoUser user, Optional<String> acr) throws Exception {
    keycloak.admin().configureGatehouseClient(List.of(callback.redirectUri()), List.of(), Optional.empty());
    AuthorizationRequest request = AuthorizationRequest.create(TestRealm.GATEHOUSE_CLIENT_ID, callback.redirectUri());
    if (acr.isPresent()) request = request.withAcrValues(acr.get());
    callback.forgetCallbacks();
    By landed = By.xpath("//*[contains(text(), '" + LoopbackCallbackServer.LANDED + "')]");
    browser.open(request.uri(keycloak.authorizationEndpoint()).toString());
    browser.awaitAny(By.id("username"), By.id("otp"), landed);
    boolean passwordAsked = browser.onKeycloakLoginForm();
    if (passwordAsked) {
      browser.signInAtKeycloak(user);
      browser.awaitAny(By.id("otp"), landed);
    }
    boolean otpAsked = browser.onKeycloakOtpForm();
    if (otpAsked) {
      lastOtpUsed = user.totp().freshCode(lastOtpUsed);
      browser.enterOtpAtKeycloak(lastOtpUsed);
    }
    browser.awaitUrlStartingWith(callback.redirectUri());
    assertThat(browser.pageText()).as("the callback page over HTTPS").contains(LoopbackCallbackServer.LANDED);
    Map<String, String> query = callback.awaitCallback(CALLBACK_WAIT);
    assertThat(query).as("callback parameters").doesNotContainKey("error").containsKey("code");
    assertThat(query.get("state")).isEqualTo(request.state());
    return new Login(request, query.get("code"), null, passwordAsked, otpAsked);
  }

  private static JsonNode getJson(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
        .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
