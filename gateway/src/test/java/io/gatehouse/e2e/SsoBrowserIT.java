package io.gatehouse.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.e2e.N8nRest.Reply;
import io.gatehouse.idp.DemoUser;
import io.gatehouse.idp.HeadlessBrowser;
import io.gatehouse.idp.KeycloakServer;
import io.gatehouse.idp.TestRealm;
import io.gatehouse.it.GatewayHarness;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/**
 * The SSO acceptance test in a real browser: headless Chromium, through a real Gatehouse ({@code auth: sso},
 * {@code require_groups: [n8n-users]}, {@code sso.n8n_users} on), against the real Keycloak of the test realm and a
 * real n8n of this class's own with Gatehouse's hook ({@code n8n/gatehouse-hook.js}) loaded.
 *
 * <p>Logging in is Chromium's own work on Keycloak's form and the redirects. What alice then does in n8n is done by
 * {@link EditorPageFetch}, a {@code fetch} from the editor's page with the page's cookies and browser id, rather
 * than by clicking through n8n's UI: the SSO claims are about who n8n serves, not n8n's layout, and clicks would
 * make the test as flaky as n8n's front end. What n8n recorded is then checked from outside, as n8n's owner on n8n
 * directly (the gateway refuses password logins).
 *
 * <p>Each test gets alice's editor through {@link #aliceInTheEditor()}, which logs her in once, so a test also runs
 * alone; the order only keeps the log readable (alice's login, her workflow, the push channel, bob, the password).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SsoBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The hook's and the gateway's shared secret: random per run, 48 bytes (the hook wants at least 32). */
  private static final String HOOK_SECRET = HexFormat.of().formatHex(randomBytes(24));
  private static final Pattern OPEN_WEBSOCKETS = Pattern.compile("(?m)^gatehouse_open_websockets\\s+(\\S+)$");
  /** How long the push channel must stay connected. */
  private static final Duration PUSH_WINDOW = Duration.ofSeconds(8);

  private static KeycloakServer keycloak;
  private static N8nServer n8n;
  private static N8nRest n8nDirect;
  private static GatewayHarness gateway;
  private static String publicUrl;
  private static String ownerSession;
  private static HeadlessBrowser alice;

  // Keycloak and n8n start side by side: alone each takes about 25 s, on a machine busy with other builds minutes
  // (KeycloakServer allows its start 10).
  @BeforeAll
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  static void start() throws Exception {
    Path hook = N8nServer.projectRoot().resolve("n8n/gatehouse-hook.js");
    assertThat(hook).as("the hook file").exists();
    ExecutorService starter = Executors.newSingleThreadExecutor();
    try {
      Future<N8nServer> n8nStarted = starter.submit(() -> N8nServer.startDedicated(
          Map.of("EXTERNAL_HOOK_FILES", hook.toString(), "GATEHOUSE_HOOK_SECRET", HOOK_SECRET)));
      try {
        keycloak = KeycloakServer.shared();
      } finally {
        n8n = awaitStarted(n8nStarted);
      }
    } finally {
      starter.shutdownNow();
    }
    n8nDirect = new N8nRest(n8n);
    // n8n was told its public URL before it started: the gateway must listen on that port.
    publicUrl = n8n.publicUrl();
    keycloak.admin().configureGatehouseClient(List.of(publicUrl + "/_gatehouse/oidc/callback"),
        List.of(publicUrl + "/"), Optional.empty());
    String sections = """
        sso:
          issuer: "%s"
          client_id: "%s"
          client_secret: "%s"
          cookie_secret: "cookie-secret-for-the-sso-browser-test-0123456789"
          groups_claim: "%s"
          session: { idle_timeout: "30m", max_lifetime: "1h", revalidate_every: "5m", idp_down_grace: "10s" }
          n8n_users: { secret: "%s", role: "global:member" }
        routes:
          - name: "editor"
            match: ["/"]
            upstream: "main"
            allow: ["127.0.0.0/8", "::1/128"]
            auth: "sso"
            require_groups: ["%s"]
        """.formatted(keycloak.issuer(), keycloak.clientId(), keycloak.clientSecret(), TestRealm.GROUPS_CLAIM,
        HOOK_SECRET, TestRealm.GROUP);
    gateway = GatewayHarness.start(n8n.baseUrl(), sections, "", GatewayHarness.Options.DEFAULTS
        .withListen("127.0.0.1:" + n8n.gatewayPort())
        .withPublicUrl(publicUrl)
        .withTimeouts("{ upstream_connect: \"2s\", upstream_response: \"30s\", drain: \"2s\" }"));
    Reply login = n8nDirect.send("POST", "/rest/login", ownerLoginBody());
    assertThat(login.status()).as("the owner's login on n8n directly: %s", login.body()).isEqualTo(200);
    ownerSession = login.issuedSession().orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (alice != null) alice.close();
      if (gateway != null) gateway.close();
    } finally {
      if (n8n != null) {
        // Kept for whoever reads a failure: the n8n folder goes with close().
        Files.copy(n8n.logFile(), Path.of("target/sso-browser-n8n.log"), StandardCopyOption.REPLACE_EXISTING);
        n8n.close();
      }
    }
  }

  @Test
  @Order(1)
  void aliceOpensTheGatewaySignsInOnKeycloaksPageAndArrivesInTheEditorAsHerOwnN8nUser() throws Exception {
    HeadlessBrowser browser = aliceInTheEditor();

    EditorPageFetch.Reply me = EditorPageFetch.get(browser, "/rest/login");
    assertThat(me.status()).as("n8n's current user, asked by the editor's page: %s", me.body()).isEqualTo(200);
    JsonNode user = me.data();
    assertThat(user.get("email").asText()).isEqualTo(TestRealm.ALICE.email());
    assertThat(user.get("role").asText()).isEqualTo("global:member");
    assertThat(user.get("isOwner").asBoolean()).as("alice is not n8n's owner").isFalse();
    assertThat(user.get("email").asText()).isNotEqualTo(N8nServer.OWNER_EMAIL);
    assertThat(user.get("firstName").asText()).isEqualTo(TestRealm.ALICE.firstName());
    assertThat(user.get("lastName").asText()).isEqualTo(TestRealm.ALICE.lastName());

    // The same user as n8n's owner sees it, with alice's email: one n8n user made for her.
    JsonNode listed = userAsOwner(TestRealm.ALICE.email());
    assertThat(listed).as("alice in n8n's user list").isNotNull();
    assertThat(listed.get("id").asText()).isEqualTo(user.get("id").asText());
    assertThat(listed.get("role").asText()).isEqualTo("global:member");
    // And the gateway recorded the editor's requests under alice's IdP subject.
    assertThat(gateway.accessLog(1)).anySatisfy(record -> {
      assertThat(record.get("path").asText()).isEqualTo("/rest/login");
      assertThat(record.get("status").asInt()).isEqualTo(200);
      assertThat(record.get("identity").asText()).isEqualTo(keycloak.admin().userId(TestRealm.ALICE.username()));
    });
  }

  @Test
  @Order(2)
  void aWorkflowAliceCreatesFromTheEditorIsRecordedInHerPersonalProject() throws Exception {
    HeadlessBrowser browser = aliceInTheEditor();
    String name = "alice-sso-" + UUID.randomUUID().toString().substring(0, 8);

    EditorPageFetch.Reply created = EditorPageFetch.send(browser, "POST", "/rest/workflows",
        "{\"name\":\"%s\",\"nodes\":[],\"connections\":{},\"settings\":{}}".formatted(name));

    assertThat(created.status()).as("POST /rest/workflows from the editor's page: %s", created.body()).isEqualTo(200);
    String workflowId = created.data().get("id").asText();
    EditorPageFetch.Reply personal = EditorPageFetch.get(browser, "/rest/projects/personal");
    assertThat(personal.status()).as(personal.body()).isEqualTo(200);
    String projectId = personal.data().get("id").asText();

    // As n8n's owner, on n8n directly: the project is alice's personal one, and the workflow's home is it.
    Reply project = n8nDirect.send("GET", "/rest/projects/" + projectId, null, "Cookie", N8nRest.cookie(ownerSession));
    assertThat(project.status()).as(project.body()).isEqualTo(200);
    assertThat(project.data().get("type").asText()).isEqualTo("personal");
    assertThat(project.data().get("relations")).as("members of %s", project.body()).anySatisfy(relation -> {
      assertThat(relation.get("email").asText()).isEqualTo(TestRealm.ALICE.email());
      assertThat(relation.get("role").asText()).isEqualTo("project:personalOwner");
    });
    String filter = URLEncoder.encode("{\"projectId\":\"" + projectId + "\"}", UTF_8);
    Reply inProject = n8nDirect.send("GET", "/rest/workflows?filter=" + filter, null,
        "Cookie", N8nRest.cookie(ownerSession));
    assertThat(inProject.status()).as(inProject.body()).isEqualTo(200);
    JsonNode listed = null;
    for (JsonNode workflow : inProject.data()) {
      if (workflowId.equals(workflow.path("id").asText())) listed = workflow;
    }
    assertThat(listed).as("workflow %s in alice's personal project: %s", workflowId, inProject.body()).isNotNull();
    assertThat(listed.get("name").asText()).isEqualTo(name);
    assertThat(listed.at("/homeProject/id").asText()).isEqualTo(projectId);
    assertThat(listed.at("/homeProject/type").asText()).isEqualTo("personal");
  }

  @Test
  @Order(3)
  void theEditorsPushWebSocketConnectsThroughTheGatewayAndStaysConnected() throws Exception {
    HeadlessBrowser browser = aliceInTheEditor();
    String subject = keycloak.admin().userId(TestRealm.ALICE.username());
    // A new workflow's canvas: the editor view that shows "Connection lost" when its push channel is down.
    browser.open(publicUrl + "/workflow/new");
    browser.awaitAny(By.cssSelector("[data-test-id='canvas-wrapper']"));
    // The page opened before (if any) closes its channel as this one loads: wait for exactly this page's one.
    GatewayHarness.awaitTrue(() -> openWebSockets() == 1, Duration.ofSeconds(20),
        "the editor's push WebSocket to be the one proxied");

    Instant windowStart = Instant.now();
    long end = System.nanoTime() + PUSH_WINDOW.toNanos();
    while (System.nanoTime() < end) {
      // n8n's client waits at least a second before it reconnects: a drop cannot hide between two samples.
      assertThat(openWebSockets()).as("WebSockets open through the gateway").isEqualTo(1);
      Thread.sleep(250);
    }
    assertThat(browser.pageText()).as("the editor's own indicator").doesNotContain("Connection lost");

    // Leaving the page ends the channel, and only then is its access record written (a tunnel's record is written
    // when it ends): the 101, alice, a start before the window and a length of at least the window.
    browser.open("about:blank");
    GatewayHarness.awaitTrue(() -> pushRecords(subject).stream().anyMatch(SsoBrowserIT::lastedTheWindow),
        Duration.ofSeconds(15), "the push connection's access record");
    JsonNode record = pushRecords(subject).stream().filter(SsoBrowserIT::lastedTheWindow).findFirst().orElseThrow();
    assertThat(record.get("status").asInt()).isEqualTo(101);
    assertThat(record.get("route").asText()).isEqualTo("editor");
    assertThat(Instant.parse(record.get("time").asText())).isBefore(windowStart);
    assertThat(pushRecords(subject)).as("push connections opened during the window (a reconnect)")
        .noneMatch(r -> !Instant.parse(r.get("time").asText()).isBefore(windowStart));
  }

  private static boolean lastedTheWindow(JsonNode record) {
    return record.get("latency_us").asLong() >= PUSH_WINDOW.toNanos() / 1_000;
  }

  @Test
  @Order(4)
  void bobOutsideN8nUsersIsRefused403AndOnceAMemberIsADifferentN8nUserThanAlice() throws Exception {
    String aliceId = n8nUserId(aliceInTheEditor());
    try (HeadlessBrowser bob = browser()) {
      bob.open(publicUrl + "/");
      bob.awaitUrlStartingWith(keycloak.issuer() + "/protocol/openid-connect/auth");
      bob.signInAtKeycloak(TestRealm.BOB);
      bob.awaitUrlStartingWith(publicUrl + "/");

      assertThat(bob.title()).as("the gateway's refusal page is titled with its status").isEqualTo("403");
      assertThat(bob.pageText()).contains("forbidden").contains("groups").doesNotContain(TestRealm.BOB.email());
      EditorPageFetch.Reply again = EditorPageFetch.get(bob, "/rest/login");
      assertThat(again.status()).as("bob's session asking n8n who he is").isEqualTo(403);
      assertThat(again.json().get("error").asText()).isEqualTo("forbidden");
      assertThat(userAsOwner(TestRealm.BOB.email())).as("no n8n user was made for bob").isNull();
      // Every request of bob's on the editor route (after the callback's login) is require_groups' refusal,
      // recorded under his subject, and none reached n8n.
      String bobSubject = keycloak.admin().userId(TestRealm.BOB.username());
      assertThat(gateway.accessLog(1)).filteredOn(record -> "editor".equals(record.path("route").asText())
              && bobSubject.equals(record.path("identity").asText()))
          .isNotEmpty()
          .allSatisfy(record -> {
            assertThat(record.get("status").asInt()).isEqualTo(403);
            assertThat(record.get("reason").asText()).isEqualTo("forbidden");
            assertThat(record.get("detail").asText()).contains("require_groups");
            assertThat(record.path("upstream").asText("")).as("no upstream target").isEmpty();
          });
    }

    keycloak.admin().addToGroup(TestRealm.BOB.username(), TestRealm.GROUP);
    try (HeadlessBrowser bob = browser()) {
      signIntoTheEditor(bob, TestRealm.BOB);

      EditorPageFetch.Reply me = EditorPageFetch.get(bob, "/rest/login");
      assertThat(me.status()).as(me.body()).isEqualTo(200);
      assertThat(me.data().get("email").asText()).isEqualTo(TestRealm.BOB.email());
      assertThat(me.data().get("isOwner").asBoolean()).isFalse();
      assertThat(me.data().get("id").asText()).as("bob's n8n user is not alice's").isNotEqualTo(aliceId);
    } finally {
      keycloak.admin().removeFromGroup(TestRealm.BOB.username(), TestRealm.GROUP);
    }
  }

  @Test
  @Order(5)
  void theOwnersPasswordLoginThroughTheGatewayIsRefused403SsoRequired() throws Exception {
    HeadlessBrowser browser = aliceInTheEditor();

    EditorPageFetch.Reply fromThePage = EditorPageFetch.send(browser, "POST", "/rest/login", ownerLoginBody());
    HttpResponse<String> withoutSession = gateway.http1().send(HttpRequest.newBuilder(URI.create(publicUrl
            + "/rest/login")).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ownerLoginBody())).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(fromThePage.status()).as(fromThePage.body()).isEqualTo(403);
    assertThat(fromThePage.json().get("error").asText()).isEqualTo("sso_required");
    assertThat(withoutSession.statusCode()).as(withoutSession.body()).isEqualTo(403);
    assertThat(JSON.readTree(withoutSession.body()).get("error").asText()).isEqualTo("sso_required");
    // The password is right: n8n itself takes it. The refusal is the gateway's.
    assertThat(n8nDirect.send("POST", "/rest/login", ownerLoginBody()).status()).isEqualTo(200);
    // alice is still alice afterwards.
    assertThat(EditorPageFetch.get(browser, "/rest/login").data().get("email").asText())
        .isEqualTo(TestRealm.ALICE.email());
  }

  /** The n8n the other thread started; its own failure (with the end of n8n's log) is the one reported. */
  private static N8nServer awaitStarted(Future<N8nServer> started) throws Exception {
    try {
      return started.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      if (e.getCause() instanceof Error error) throw error;
      throw e;
    }
  }

  /** alice's Chromium in the n8n editor, logged in through Keycloak the first time it is asked for. */
  private static synchronized HeadlessBrowser aliceInTheEditor() throws Exception {
    if (alice == null) {
      HeadlessBrowser browser = browser();
      try {
        signIntoTheEditor(browser, TestRealm.ALICE);
      } catch (AssertionError | RuntimeException e) {
        keepScreenshot(browser, "alice-login");
        browser.close();
        throw e;
      }
      alice = browser;
    } else if (!alice.currentUrl().startsWith(publicUrl + "/")) {
      alice.open(publicUrl + "/");
      awaitEditor(alice);
    }
    return alice;
  }

  /** Opens the gateway, follows it to Keycloak's login page, signs in there and waits for n8n's editor. */
  private static void signIntoTheEditor(HeadlessBrowser browser, DemoUser user) throws Exception {
    browser.open(publicUrl + "/");
    browser.awaitUrlStartingWith(keycloak.issuer() + "/protocol/openid-connect/auth");
    assertThat(browser.onKeycloakLoginForm()).as("Keycloak's login form").isTrue();
    browser.signInAtKeycloak(user);
    browser.awaitUrlStartingWith(publicUrl + "/");
    awaitEditor(browser);
  }

  /**
   * n8n's editor has loaded, signed in: its app routes {@code /} to {@code /home/...} for a signed-in user only
   * (anyone else to {@code /signin}), after asking n8n who the user is.
   */
  private static void awaitEditor(HeadlessBrowser browser) {
    browser.awaitUrlStartingWith(publicUrl + "/home/");
    browser.awaitAny(By.id("app"));
  }

  private static HeadlessBrowser browser() throws Exception {
    return HeadlessBrowser.start(List.of(gateway.dir().resolve("certs/ca.crt")));
  }

  private static String n8nUserId(HeadlessBrowser browser) throws Exception {
    EditorPageFetch.Reply me = EditorPageFetch.get(browser, "/rest/login");
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    return me.data().get("id").asText();
  }

  /** The n8n user with {@code email} as the owner's user list shows it, or null. */
  private static JsonNode userAsOwner(String email) throws Exception {
    Reply users = n8nDirect.send("GET", "/rest/users", null, "Cookie", N8nRest.cookie(ownerSession));
    assertThat(users.status()).as(users.body()).isEqualTo(200);
    JsonNode data = users.data();
    for (JsonNode user : data.isArray() ? data : data.get("items")) {
      if (email.equalsIgnoreCase(user.path("email").asText())) return user;
    }
    return null;
  }

  /** The gateway's access records of ended {@code /rest/push} connections of {@code subject}. */
  private static List<JsonNode> pushRecords(String subject) {
    List<JsonNode> records = new ArrayList<>();
    List<JsonNode> all;
    try {
      all = gateway.accessLog(0);
    } catch (Exception e) {
      throw new AssertionError("the gateway's access log", e);
    }
    for (JsonNode record : all) {
      if ("/rest/push".equals(record.path("path").asText()) && subject.equals(record.path("identity").asText())) {
        records.add(record);
      }
    }
    return records;
  }

  private static int openWebSockets() {
    try {
      Matcher gauge = OPEN_WEBSOCKETS.matcher(gateway.metrics());
      if (!gauge.find()) throw new AssertionError("no gatehouse_open_websockets in the gateway's metrics");
      return (int) Double.parseDouble(gauge.group(1));
    } catch (Exception e) {
      throw new AssertionError("the gateway's metrics", e);
    }
  }

  private static String ownerLoginBody() {
    return "{\"emailOrLdapLoginId\":\"%s\",\"password\":\"%s\"}".formatted(N8nServer.OWNER_EMAIL, n8n.ownerPassword());
  }

  private static void keepScreenshot(HeadlessBrowser browser, String name) {
    try {
      browser.screenshot(Path.of("target/sso-browser-" + name + ".png"));
    } catch (Exception e) {
      // The failure itself is what matters; a screenshot is a courtesy.
    }
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
