package io.gatehouse.idp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.it.GatewayHarness;
import io.gatehouse.it.GatewayProcess;
import io.gatehouse.it.TestUpstream;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code require_mfa} step-up end to end against a real Keycloak (the test realm of {@link TestRealm}: password at
 * level 1, OTP at level 2): a person signed in with a password reaches {@code /app/} but is sent back to the IdP for
 * the second factor at {@code /secure/}, and only a login that used one passes there. The gateway keeps its default
 * {@code sso.mfa_acr} ("2"), which Keycloak reads as level 2; a second gateway asks for an {@code acr} Keycloak does
 * not know, so that Keycloak answers the step-up without a second factor.
 */
class SsoStepUpIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ASSERTION_SECRET = "n8n-hook-secret-for-the-step-up-test-0123456789";
  private static final String SESSION_COOKIE = "__Host-gatehouse-session";
  /** Keycloak's "Configure OTP" required action ({@code login-config-totp.ftl}). */
  private static final Pattern CONFIGURE_OTP_FORM = Pattern.compile("<form[^>]*id=\"kc-totp-settings-form\"");

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static KeycloakServer keycloak;
  /** The gateway under test, with the default {@code sso.mfa_acr}. */
  private static Front main;
  /** A gateway whose {@code sso.mfa_acr} Keycloak does not know: Keycloak then answers at its lowest level. */
  private static Front unknownAcr;

  /** One gateway and the public URL it was started with. */
  private record Front(GatewayHarness gateway, String url) {}

  @BeforeAll static void start() throws Exception {
    keycloak = KeycloakServer.shared();
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    int port = GatewayProcess.freePort();
    int unknownAcrPort = GatewayProcess.freePort();
    String url = "https://localhost:" + port;
    String unknownAcrUrl = "https://localhost:" + unknownAcrPort;
    keycloak.admin().configureGatehouseClient(
        List.of(url + "/_gatehouse/oidc/callback", unknownAcrUrl + "/_gatehouse/oidc/callback"),
        List.of(url + "/", unknownAcrUrl + "/"), Optional.empty());
    main = new Front(startGateway(port, url, ""), url);
    unknownAcr = new Front(startGateway(unknownAcrPort, unknownAcrUrl, "  mfa_acr: \"gold\"\n"), unknownAcrUrl);
  }

  /** A gateway on {@code port} with the routes {@code /app/} (sso) and {@code /secure/} (sso, require_mfa). */
  private static GatewayHarness startGateway(int port, String url, String extraSso) throws Exception {
    String sections = """
        sso:
          issuer: "%s"
          client_id: "%s"
          client_secret: "%s"
          cookie_secret: "cookie-secret-for-the-sso-step-up-test-0123456789"
          groups_claim: "groups"
          n8n_users: { secret: "%s", role: "global:member" }
          session: { idle_timeout: "30m", max_lifetime: "1h", revalidate_every: "5m" }
        %sroutes:
          - name: "app"
            match: ["/app/"]
            upstream: "main"
            allow: ["127.0.0.0/8", "::1/128"]
            auth: "sso"
          - name: "secure"
            match: ["/secure/"]
            upstream: "main"
            allow: ["127.0.0.0/8", "::1/128"]
            auth: "sso"
            require_mfa: true
        """.formatted(keycloak.issuer(), keycloak.clientId(), keycloak.clientSecret(), ASSERTION_SECRET, extraSso);
    return GatewayHarness.start(upstream.url(), sections, "",
        GatewayHarness.Options.DEFAULTS.withListen("127.0.0.1:" + port).withPublicUrl(url));
  }

  @AfterAll static void stop() {
    if (main != null) main.gateway().close();
    if (unknownAcr != null) unknownAcr.gateway().close();
    if (upstream != null) upstream.close();
    if (vertx != null) vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
  }

  @Test void carolWithAPasswordSessionStepsUpWithOnlyHerOtpAndReturnsToTheSecurePageAsHerself() throws Exception {
    LoginBrowser carol = passwordSession(main, TestRealm.CAROL);
    String subject = keycloak.admin().userId(TestRealm.CAROL.username());
    HttpResponse<String> app = carol.navigate(main.url() + "/app/home");
    assertThat(app.statusCode()).as("level 1 reaches /app/").isEqualTo(200);
    assertThat(upstream.seen()).singleElement().satisfies(seen -> {
      assertThat(seen.uri()).isEqualTo("/app/home");
      assertThat(assertion(seen).get("mfa").asBoolean()).isFalse();
    });
    upstream.clear();
    double sentBefore = ssoEvents(main, "step_up", "sent");
    double okBefore = ssoEvents(main, "step_up", "ok");

    HttpResponse<String> otpPage = sentToKeycloakForMfa(main, carol, "/secure/x?tab=1", "2");

    assertThat(LoginBrowser.isPasswordForm(otpPage.body())).as("password form again at the step-up").isFalse();
    assertThat(LoginBrowser.isOtpForm(otpPage.body())).as("Keycloak asks for the OTP").isTrue();
    assertThat(upstream.seen()).as("nothing reached /secure/ before the step-up").isEmpty();
    assertThat(ssoEvents(main, "step_up", "sent")).as("step-up started, counted").isEqualTo(sentBefore + 1);

    HttpResponse<String> accepted = carol.submitOtp(otpPage, TestRealm.CAROL.totp().freshCode(null));
    assertThat(accepted.statusCode()).as("Keycloak took the code").isEqualTo(302);
    String callback = accepted.headers().firstValue("Location").orElseThrow();
    assertThat(callback).startsWith(main.url() + "/_gatehouse/oidc/callback?");
    HttpResponse<String> back = carol.navigate(callback);
    assertThat(back.statusCode()).as("callback: " + back.body()).isEqualTo(302);
    assertThat(back.headers().firstValue("Location")).as("the page first asked for").contains("/secure/x?tab=1");
    assertThat(whoami(main, carol).get("mfa").asBoolean()).as("the session now has MFA").isTrue();
    assertThat(ssoEvents(main, "step_up", "ok")).as("step-up completed, counted").isEqualTo(okBefore + 1);

    HttpResponse<String> secure = carol.navigate(main.url() + "/secure/x?tab=1");
    HttpResponse<String> stillApp = carol.navigate(main.url() + "/app/home");

    assertThat(secure.statusCode()).as("/secure/ after the step-up").isEqualTo(200);
    assertThat(stillApp.statusCode()).as("/app/ after the step-up").isEqualTo(200);
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/secure/x?tab=1", "/app/home");
    for (TestUpstream.Seen seen : upstream.seen()) {
      assertThat(seen.header("X-Forwarded-User")).isEqualTo(subject);
      assertThat(seen.header("X-Forwarded-Email")).isEqualTo(TestRealm.CAROL.email());
      JsonNode claims = assertion(seen);
      assertThat(claims.get("sub").asText()).isEqualTo(subject);
      assertThat(claims.get("mfa").asBoolean()).as("n8n is told the login used MFA").isTrue();
    }
  }

  @Test void anXhrToTheSecureRouteWithAPasswordSessionGets403JsonNeverARedirect() throws Exception {
    LoginBrowser carol = passwordSession(main, TestRealm.CAROL);
    double sentBefore = ssoEvents(main, "step_up", "sent");

    HttpResponse<String> xhr = carol.send(carol.request(main.url() + "/secure/data")
        .header("Accept", "application/json").header("Sec-Fetch-Mode", "cors"));
    HttpResponse<String> script = carol.send(carol.request(main.url() + "/secure/data")
        .header("Accept", "application/json"));

    for (HttpResponse<String> answer : List.of(xhr, script)) {
      assertThat(answer.statusCode()).isEqualTo(403);
      assertThat(answer.headers().firstValue("Location")).isEmpty();
      assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
      assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("forbidden");
    }
    assertThat(upstream.seen()).isEmpty();
    assertThat(ssoEvents(main, "step_up", "sent")).as("no step-up for a non-navigation").isEqualTo(sentBefore);
  }

  @Test void aWrongOtpKeepsCarolAtKeycloaksOtpFormAndHerPasswordSessionStillDoesNotPass() throws Exception {
    LoginBrowser carol = passwordSession(main, TestRealm.CAROL);
    HttpResponse<String> otpPage = sentToKeycloakForMfa(main, carol, "/secure/x", "2");

    HttpResponse<String> refused = carol.submitOtp(otpPage, wrongCode(TestRealm.CAROL));

    assertThat(refused.statusCode()).as("Keycloak's answer to a wrong code").isEqualTo(200);
    assertThat(refused.headers().firstValue("Location")).isEmpty();
    assertThat(LoginBrowser.isOtpForm(refused.body())).as("the OTP form again").isTrue();
    assertSecureStillRefused(main, carol);
  }

  @Test void aliceWithoutAnOtpCredentialIsAskedToSetOneUpAndNeverReachesTheSecureRouteWithoutIt() throws Exception {
    LoginBrowser alice = passwordSession(main, TestRealm.ALICE);

    HttpResponse<String> keycloakPage = sentToKeycloakForMfa(main, alice, "/secure/x", "2");

    assertThat(LoginBrowser.isPasswordForm(keycloakPage.body())).isFalse();
    assertThat(LoginBrowser.isOtpForm(keycloakPage.body())).as("no OTP to enter: she has none").isFalse();
    assertThat(CONFIGURE_OTP_FORM.matcher(keycloakPage.body()).find()).as("Keycloak's 'configure OTP' page")
        .isTrue();
    assertSecureStillRefused(main, alice);
  }

  @Test void aStepUpTheIdpAnswersWithoutASecondFactorEndsAt403InsteadOfARedirectLoop() throws Exception {
    LoginBrowser carol = passwordSession(unknownAcr, TestRealm.CAROL);
    double noMfaBefore = ssoEvents(unknownAcr, "step_up", "no_mfa");
    HttpResponse<String> toIdp = carol.navigate(unknownAcr.url() + "/secure/x");
    assertThat(toIdp.statusCode()).isEqualTo(302);
    URI location = URI.create(toIdp.headers().firstValue("Location").orElseThrow());
    assertThat(LoginBrowser.query(location)).containsEntry("acr_values", "gold");

    // Keycloak does not know "gold": it falls back to its lowest level, which its session has. No form, straight back.
    HttpResponse<String> atIdp = carol.send(carol.request(location.toString()));
    assertThat(atIdp.statusCode()).as("Keycloak answers at once").isEqualTo(302);
    String callback = atIdp.headers().firstValue("Location").orElseThrow();
    assertThat(callback).startsWith(unknownAcr.url() + "/_gatehouse/oidc/callback?");
    HttpResponse<String> back = carol.navigate(callback);

    // Back to /secure/x would send her to Keycloak again, and Keycloak straight back, for ever.
    assertThat(back.statusCode()).as("callback of a step-up without a second factor").isEqualTo(403);
    assertThat(back.headers().firstValue("Location")).isEmpty();
    assertThat(back.body()).contains("forbidden").contains("multi-factor");
    assertThat(ssoEvents(unknownAcr, "step_up", "no_mfa")).isEqualTo(noMfaBefore + 1);
    assertThat(carol.navigate(unknownAcr.url() + "/app/home").statusCode()).as("her new session still opens /app/")
        .isEqualTo(200);
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/app/home");
    upstream.clear();
    assertSecureStillRefused(unknownAcr, carol);
  }

  /** A browser of {@code user} signed in with the password only, through {@code /app/}: a session without MFA. */
  private static LoginBrowser passwordSession(Front front, DemoUser user) throws Exception {
    LoginBrowser browser = new LoginBrowser(front.gateway().sslContext(), front.url());
    HttpResponse<String> back = browser.logIn(front.url() + "/app/home", user);
    assertThat(back.headers().firstValue("Location")).contains("/app/home");
    assertThat(whoami(front, browser).get("mfa").asBoolean()).as("a password login has no MFA").isFalse();
    return browser;
  }

  /**
   * Opens {@code path} on the MFA route: the gateway must send the browser to Keycloak asking for {@code acr};
   * returns the page Keycloak then shows (after its own redirects, as a browser follows them).
   */
  private static HttpResponse<String> sentToKeycloakForMfa(Front front, LoginBrowser browser, String path, String acr)
      throws Exception {
    HttpResponse<String> toIdp = browser.navigate(front.url() + path);
    assertThat(toIdp.statusCode()).as("step-up redirect for " + path).isEqualTo(302);
    URI location = URI.create(toIdp.headers().firstValue("Location").orElseThrow());
    assertThat(location.toString()).startsWith(keycloak.authorizationEndpoint().toString());
    assertThat(LoginBrowser.query(location)).containsEntry("acr_values", acr).containsEntry("client_id", keycloak.clientId());
    HttpResponse<String> page = browser.send(browser.request(location.toString()));
    // Keycloak may redirect within itself (to a required action); never back to the gateway without a form.
    for (int hops = 0; page.statusCode() == 302 && hops < 5; hops++) {
      String next = page.headers().firstValue("Location").orElseThrow();
      assertThat(next).as("Keycloak's redirect during the step-up").startsWith(keycloak.baseUrl() + "/");
      page = browser.send(browser.request(next));
    }
    assertThat(page.statusCode()).as("Keycloak's page for the step-up").isEqualTo(200);
    return page;
  }

  /** The session still has no MFA: a navigation to {@code /secure/} goes to the IdP again, an XHR gets 403. */
  private static void assertSecureStillRefused(Front front, LoginBrowser browser) throws Exception {
    assertThat(whoami(front, browser).get("mfa").asBoolean()).isFalse();
    HttpResponse<String> again = browser.navigate(front.url() + "/secure/x");
    assertThat(again.statusCode()).as("sent to the IdP again").isEqualTo(302);
    assertThat(again.headers().firstValue("Location").orElseThrow())
        .startsWith(keycloak.authorizationEndpoint().toString());
    HttpResponse<String> xhr = browser.send(browser.request(front.url() + "/secure/x")
        .header("Accept", "application/json"));
    assertThat(xhr.statusCode()).isEqualTo(403);
    assertThat(upstream.seen()).as("nothing reached the upstream").isEmpty();
  }

  private static JsonNode whoami(Front front, LoginBrowser browser) throws Exception {
    HttpResponse<String> answer = browser.send(browser.request(front.url() + "/_gatehouse/whoami"));
    assertThat(answer.statusCode()).as("whoami").isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private static double ssoEvents(Front front, String event, String outcome) throws Exception {
    Matcher counted = Pattern.compile("gatehouse_sso_events_total\\{event=\"" + event + "\",outcome=\"" + outcome
        + "\"\\} (\\S+)").matcher(front.gateway().metrics());
    return counted.find() ? Double.parseDouble(counted.group(1)) : 0;
  }

  /** The identity assertion the upstream got, its signature checked with the hook's secret. */
  private static JsonNode assertion(TestUpstream.Seen seen) throws Exception {
    String value = seen.header("X-Gatehouse-Identity");
    assertThat(value).as("identity assertion").isNotNull();
    String[] parts = value.split("\\.");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(ASSERTION_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
    assertThat(parts[2]).as("assertion signature").isEqualTo(expected);
    return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
  }

  /** A six-digit code outside Keycloak's window (the previous, current and next 30 s step, with a step to spare). */
  private static String wrongCode(DemoUser user) {
    TotpCodes codes = user.totp();
    Instant now = Instant.now();
    Set<String> valid = Stream.of(-1, 0, 1, 2).map(step -> codes.codeAt(now.plus(TotpCodes.STEP.multipliedBy(step))))
        .collect(Collectors.toSet());
    return valid.contains("000000") ? "111111" : "000000";
  }

}
