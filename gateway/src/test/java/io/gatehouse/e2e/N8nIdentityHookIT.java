package io.gatehouse.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.e2e.N8nRest.Reply;
import io.gatehouse.sso.n8n.N8nIdentityAssertion;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gatehouse's n8n hook ({@code n8n/gatehouse-hook.js}) in a real n8n of the pinned version, spoken to directly on
 * loopback the way the gateway forwards: with an identity assertion signed by {@link N8nIdentityAssertion}. One n8n
 * of this class's own (the hook changes who every request is), with the hook loaded through EXTERNAL_HOOK_FILES.
 */
class N8nIdentityHookIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = HexFormat.of().formatHex(randomBytes(24));
  private static final String HEADER = N8nIdentityAssertion.HEADER;
  private static final String INVALID = "{\"error\":\"gatehouse_assertion_invalid\"}";
  private static final Duration TTL = Duration.ofSeconds(30);

  private static N8nServer n8n;
  private static N8nRest rest;
  private static N8nIdentityAssertion signer;
  private static String ownerSession;

  @BeforeAll
  static void start() throws Exception {
    Path hook = N8nServer.projectRoot().resolve("n8n/gatehouse-hook.js");
    assertThat(hook).as("the hook file").exists();
    try {
      n8n = N8nServer.startDedicated(Map.of("EXTERNAL_HOOK_FILES", hook.toString(), "GATEHOUSE_HOOK_SECRET", SECRET));
    } catch (AssertionError e) {
      throw new AssertionError("n8n did not start with the Gatehouse hook. " + whatTheHookSaid(e.getMessage()), e);
    }
    rest = new N8nRest(n8n);
    signer = new N8nIdentityAssertion(SECRET.getBytes(UTF_8));
    Reply login = rest.send("POST", "/rest/login",
        "{\"emailOrLdapLoginId\":\"%s\",\"password\":\"%s\"}".formatted(N8nServer.OWNER_EMAIL, n8n.ownerPassword()));
    assertThat(login.status()).as("owner login: %s", login.body()).isEqualTo(200);
    ownerSession = login.issuedSession().orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    if (n8n == null) return;
    // Kept for whoever reads a failure: the n8n folder goes with close().
    Files.copy(n8n.logFile(), Path.of("target/n8n-identity-hook.log"), StandardCopyOption.REPLACE_EXISTING);
    n8n.close();
  }

  @Test
  void hookLoadsOnThePinnedN8nAndPutsItsMiddlewareInPlace() throws Exception {
    JsonNode pkg = JSON.readTree(n8n.n8nPackage().resolve("package.json").toFile());
    assertThat(pkg.get("version").asText()).isEqualTo("2.41.1");

    String log = Files.readString(n8n.logFile());
    assertThat(log).as("n8n's log").contains("gatehouse-hook: loaded for n8n 2.41.1");
    assertThat(log).as("n8n's log: the n8n.ready hook ran and placed the middleware (else: %s)", whatTheHookSaid(log))
        .contains("gatehouse-hook: verifying X-Gatehouse-Identity on every request; users it creates get the role "
            + "global:member");
  }

  @Test
  void assertionForANewEmailCreatesAMemberAndSignsThatPersonInOnTheSameRequest() throws Exception {
    String email = unique("Carol.New") + "@Example.Test";

    Reply first = rest.send("GET", "/rest/login", null, HEADER, assertion(email, "Carol  van Newcomer", false));

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    JsonNode carol = first.data();
    assertThat(carol.get("email").asText()).isEqualTo(email.toLowerCase());
    assertThat(carol.get("role").asText()).isEqualTo("global:member");
    assertThat(carol.get("firstName").asText()).isEqualTo("Carol");
    assertThat(carol.get("lastName").asText()).isEqualTo("van Newcomer");
    assertThat(carol.get("isOwner").asBoolean()).isFalse();
    assertThat(carol.get("isPending").asBoolean()).as("an SSO user is not a pending invitation").isFalse();
    assertThat(first.sessionCookieLine().orElseThrow()).as("Set-Cookie: n8n-auth").contains("HttpOnly");

    Reply withCookieOnly = rest.send("GET", "/rest/login", null,
        "Cookie", N8nRest.cookie(first.issuedSession().orElseThrow()));
    assertThat(withCookieOnly.status()).as(withCookieOnly.body()).isEqualTo(200);
    assertThat(withCookieOnly.data().get("id").asText()).isEqualTo(carol.get("id").asText());

    assertThat(roleOf(email.toLowerCase())).as("in the owner's user list").isEqualTo("global:member");
  }

  @Test
  void theSamePersonInAnotherCaseIsTheSameUserAndAFittingSessionIsLeftAlone() throws Exception {
    String email = unique("dave") + "@example.test";
    Reply first = rest.send("GET", "/rest/login", null, HEADER, assertion(email, null, false));
    String session = first.issuedSession().orElseThrow();

    Reply again = rest.send("GET", "/rest/login", null,
        HEADER, assertion(email.toUpperCase(), null, false), "Cookie", N8nRest.cookie(session));

    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.data().get("id").asText()).isEqualTo(first.data().get("id").asText());
    assertThat(again.setCookies()).as("no new session for a fitting one").noneMatch(l -> l.startsWith("n8n-auth="));
  }

  @Test
  void parallelFirstRequestsOfOnePersonMakeOneUser() throws Exception {
    String email = unique("judy") + "@example.test";
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        replies.add(pool.submit(() -> rest.send("GET", "/rest/login", null, HEADER, assertion(email, null, false))));
      }
      Set<String> ids = new HashSet<>();
      for (Future<Reply> reply : replies) {
        Reply answered = reply.get(30, TimeUnit.SECONDS);
        assertThat(answered.status()).as(answered.body()).isEqualTo(200);
        ids.add(answered.data().get("id").asText());
      }
      assertThat(ids).as("one n8n user for one person").hasSize(1);
      assertThat(usersWithEmail(email)).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAssertionForBobWinsOverAlicesSession() throws Exception {
    String alice = unique("alice") + "@example.test";
    String bob = unique("bob") + "@example.test";
    String aliceSession = rest.send("GET", "/rest/login", null, HEADER, assertion(alice, "Alice A", false))
        .issuedSession().orElseThrow();

    Reply asBob = rest.send("GET", "/rest/login", null,
        HEADER, assertion(bob, "Bob B", false), "Cookie", N8nRest.cookie(aliceSession));

    assertThat(asBob.status()).as(asBob.body()).isEqualTo(200);
    assertThat(asBob.data().get("email").asText()).isEqualTo(bob);
    String bobSession = asBob.issuedSession().orElseThrow();
    assertThat(bobSession).isNotEqualTo(aliceSession);
    Reply next = rest.send("GET", "/rest/login", null, "Cookie", N8nRest.cookie(bobSession));
    assertThat(next.data().get("email").asText()).isEqualTo(bob);
  }

  @Test
  void aSessionBoundToAnotherBrowserIsReplacedOnTheSameRequest() throws Exception {
    String email = unique("erin") + "@example.test";
    String browserA = UUID.randomUUID().toString();
    String browserB = UUID.randomUUID().toString();
    String sessionA = rest.send("GET", "/rest/login", null,
        HEADER, assertion(email, null, false), "browser-id", browserA).issuedSession().orElseThrow();
    Reply withoutAssertion = rest.send("GET", "/rest/login", null,
        "Cookie", N8nRest.cookie(sessionA), "browser-id", browserB);
    assertThat(withoutAssertion.status()).as("n8n's own browser-id check").isEqualTo(401);

    Reply replaced = rest.send("GET", "/rest/login", null,
        HEADER, assertion(email, null, false), "Cookie", N8nRest.cookie(sessionA), "browser-id", browserB);

    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    assertThat(replaced.data().get("email").asText()).isEqualTo(email);
    Reply sessionB = rest.send("GET", "/rest/login", null,
        "Cookie", N8nRest.cookie(replaced.issuedSession().orElseThrow()), "browser-id", browserB);
    assertThat(sessionB.status()).as(sessionB.body()).isEqualTo(200);
  }

  @Test
  void mfaAtTheIdpBecomesN8nsUsedMfaAndUpgradesASessionWithoutIt() throws Exception {
    String email = unique("frank") + "@example.test";
    String withoutMfa = rest.send("GET", "/rest/login", null, HEADER, assertion(email, null, false))
        .issuedSession().orElseThrow();

    Reply stepUp = rest.send("GET", "/rest/login", null,
        HEADER, assertion(email, null, true), "Cookie", N8nRest.cookie(withoutMfa));

    assertThat(stepUp.status()).as(stepUp.body()).isEqualTo(200);
    assertThat(stepUp.data().get("mfaAuthenticated").asBoolean()).isTrue();
    assertThat(stepUp.issuedSession()).as("a session that used MFA").isPresent();
  }

  static Stream<Arguments> badAssertions() throws Exception {
    long now = Instant.now().getEpochSecond();
    N8nIdentityAssertion otherSecret = new N8nIdentityAssertion(randomBytes(32));
    return Stream.of(
        Arguments.of("forged mac", "bad_mac", (Assertion) email ->
            otherSecret.sign("s", email, null, false, Instant.now(), TTL)),
        Arguments.of("expired", "expired", (Assertion) email ->
            signer.sign("s", email, null, false, Instant.now().minusSeconds(120), TTL)),
        Arguments.of("issued in the future", "not_yet_valid", (Assertion) email ->
            signer.sign("s", email, null, false, Instant.now().plusSeconds(60), TTL)),
        Arguments.of("wrong audience", "wrong_audience", (Assertion) email -> signed(
            "{\"iss\":\"gatehouse\",\"aud\":\"grafana\",\"sub\":\"s\",\"email\":\"%s\",\"mfa\":false,\"iat\":%d,\"exp\":%d}"
                .formatted(email, now, now + 30))),
        Arguments.of("wrong issuer", "wrong_issuer", (Assertion) email -> signed(
            "{\"iss\":\"someone\",\"aud\":\"n8n\",\"sub\":\"s\",\"email\":\"%s\",\"mfa\":false,\"iat\":%d,\"exp\":%d}"
                .formatted(email, now, now + 30))),
        Arguments.of("missing email", "missing_email", (Assertion) email -> signed(
            "{\"iss\":\"gatehouse\",\"aud\":\"n8n\",\"sub\":\"%s\",\"mfa\":false,\"iat\":%d,\"exp\":%d}"
                .formatted(email, now, now + 30))),
        Arguments.of("lives longer than 60 s", "lifetime_too_long", (Assertion) email -> signed(
            "{\"iss\":\"gatehouse\",\"aud\":\"n8n\",\"sub\":\"s\",\"email\":\"%s\",\"mfa\":false,\"iat\":%d,\"exp\":%d}"
                .formatted(email, now, now + 120))),
        Arguments.of("not of the v1 shape", "malformed", (Assertion) email ->
            signer.sign("s", email, null, false, Instant.now(), TTL).replaceFirst("^v1\\.", "v2.")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAssertions")
  void aBadAssertionIsRefusedWith401BeforeN8nAndCreatesNobody(String label, String reason, Assertion bad)
      throws Exception {
    String email = unique("mallory") + "@example.test";
    String header = bad.sign(email);
    long before = count(Files.readString(n8n.logFile()), "identity assertion " + reason);

    Reply refused = rest.send("GET", "/rest/login", null, HEADER, header);

    assertThat(refused.status()).as(refused.body()).isEqualTo(401);
    assertThat(refused.json()).isEqualTo(JSON.readTree(INVALID));
    assertThat(refused.setCookies()).noneMatch(line -> line.startsWith("n8n-auth="));
    assertThat(roleOf(email)).as("no user for %s", email).isNull();
    String log = awaitLog("identity assertion " + reason, before);
    assertThat(log).as("the log names the reason class only").doesNotContain(header).doesNotContain(SECRET)
        .doesNotContain(email);
  }

  @Test
  void aForgedAssertionNextToTheOwnersSessionStillStopsTheRequestBeforeN8n() throws Exception {
    String name = unique("forged-workflow");
    N8nIdentityAssertion otherSecret = new N8nIdentityAssertion(randomBytes(32));

    Reply refused = rest.send("POST", "/rest/workflows", workflow(name),
        HEADER, otherSecret.sign("s", N8nServer.OWNER_EMAIL, null, false, Instant.now(), TTL),
        "Cookie", N8nRest.cookie(ownerSession));

    assertThat(refused.status()).as(refused.body()).isEqualTo(401);
    assertThat(refused.json()).isEqualTo(JSON.readTree(INVALID));
    Reply workflows = rest.send("GET", "/rest/workflows", null, "Cookie", N8nRest.cookie(ownerSession));
    assertThat(workflows.body()).as("no workflow was created").doesNotContain(name);
  }

  @Test
  void aWorkflowCreatedWithAnAssertionIsOwnedByThatPerson() throws Exception {
    String email = unique("grace") + "@example.test";
    String name = unique("grace-workflow");

    Reply created = rest.send("POST", "/rest/workflows", workflow(name), HEADER, assertion(email, "Grace H", false));

    assertThat(created.status()).as(created.body()).isEqualTo(200);
    String workflowId = created.data().get("id").asText();
    String graceSession = created.issuedSession().orElseThrow();
    Reply personal = rest.send("GET", "/rest/projects/personal", null, "Cookie", N8nRest.cookie(graceSession));
    assertThat(personal.status()).as(personal.body()).isEqualTo(200);
    String projectId = personal.data().get("id").asText();
    assertThat(personal.data().get("name").asText()).contains(email);

    // As the owner: the workflows of that person's personal project (n8n's home project of a workflow).
    String filter = URLEncoder.encode("{\"projectId\":\"" + projectId + "\"}", UTF_8);
    Reply asOwner = rest.send("GET", "/rest/workflows?filter=" + filter, null, "Cookie", N8nRest.cookie(ownerSession));
    assertThat(asOwner.status()).as(asOwner.body()).isEqualTo(200);
    JsonNode listed = null;
    for (JsonNode workflow : asOwner.data()) {
      if (workflowId.equals(workflow.path("id").asText())) listed = workflow;
    }
    assertThat(listed).as("workflow %s in %s's personal project: %s", workflowId, email, asOwner.body()).isNotNull();
    assertThat(listed.at("/homeProject/id").asText()).isEqualTo(projectId);
    assertThat(listed.at("/homeProject/type").asText()).isEqualTo("personal");
  }

  @Test
  void theOwnersPasswordLoginStillWorksWithoutAnAssertion() throws Exception {
    Reply login = rest.send("POST", "/rest/login",
        "{\"emailOrLdapLoginId\":\"%s\",\"password\":\"%s\"}".formatted(N8nServer.OWNER_EMAIL, n8n.ownerPassword()));

    assertThat(login.status()).as(login.body()).isEqualTo(200);
    assertThat(login.data().get("email").asText()).isEqualTo(N8nServer.OWNER_EMAIL);
    assertThat(login.data().get("role").asText()).isEqualTo("global:owner");
    assertThat(login.issuedSession()).isPresent();
  }

  @Test
  void aRequestWithoutAnAssertionIsLeftToN8nsOwnAuthentication() throws Exception {
    Reply anonymous = rest.send("GET", "/rest/login", null);

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.body()).as("n8n's own refusal, not the hook's").doesNotContain("gatehouse");
    assertThat(anonymous.setCookies()).noneMatch(line -> line.startsWith("n8n-auth="));
  }

  @Test
  void signingOutWithAnAssertionIsN8nsOwnSignOut() throws Exception {
    String email = unique("heidi") + "@example.test";
    String session = rest.send("GET", "/rest/login", null, HEADER, assertion(email, null, false))
        .issuedSession().orElseThrow();

    Reply logout = rest.send("POST", "/rest/logout", null,
        HEADER, assertion(email, null, false), "Cookie", N8nRest.cookie(session));

    assertThat(logout.status()).as(logout.body()).isEqualTo(200);
    assertThat(logout.data().get("loggedOut").asBoolean()).isTrue();
    assertThat(logout.clearedSession()).as("n8n cleared its cookie").isTrue();
    assertThat(logout.issuedSession()).as("and the hook issued none").isEmpty();
    assertThat(rest.send("GET", "/rest/login", null, "Cookie", N8nRest.cookie(session)).status())
        .as("the signed-out session is on n8n's deny-list").isEqualTo(401);
  }

  @Test
  void aDisabledN8nUserIsRefusedWith401() throws Exception {
    String email = unique("ivan") + "@example.test";
    assertThat(rest.send("GET", "/rest/login", null, HEADER, assertion(email, null, false)).status()).isEqualTo(200);
    disableInDatabase(email);

    Reply refused = rest.send("GET", "/rest/login", null, HEADER, assertion(email, null, false));

    assertThat(refused.status()).as(refused.body()).isEqualTo(401);
    assertThat(refused.json()).isEqualTo(JSON.readTree("{\"error\":\"gatehouse_user_disabled\"}"));
    assertThat(refused.setCookies()).noneMatch(line -> line.startsWith("n8n-auth="));
  }

  @Test
  void theHooksVerifierAcceptsTheCheckedInVectorThatTheJavaSignerProduces() throws Exception {
    Path vector = Path.of(N8nIdentityHookIT.class.getResource("/n8n/identity-assertion-vector.json").toURI());
    String script = """
        const { createAssertionVerifier } = require(process.argv[1]);
        const v = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
        const verify = createAssertionVerifier(v.secret);
        const claims = verify(v.assertion, (v.now + 1) * 1000);
        let tampered;
        try { verify(v.assertion.slice(0, -2) + (v.assertion.endsWith('AA') ? 'BA' : 'AA'), v.now * 1000); }
        catch (e) { tampered = e.reason; }
        let expired;
        try { verify(v.assertion, (v.now + v.ttlSeconds + 5) * 1000); } catch (e) { expired = e.reason; }
        console.log(JSON.stringify({ claims, tampered, expired }));
        """;
    NodeRun run = node(Map.of(), script,
        N8nServer.projectRoot().resolve("n8n/gatehouse-assertion.js").toString(), vector.toString());

    assertThat(run.exit()).as(run.stderr()).isZero();
    JsonNode out = JSON.readTree(run.stdout());
    JsonNode expected = JSON.readTree(vector.toFile());
    assertThat(out.at("/claims/email").asText()).isEqualTo(expected.get("email").asText());
    assertThat(out.at("/claims/name").asText()).isEqualTo(expected.get("name").asText());
    assertThat(out.at("/claims/sub").asText()).isEqualTo(expected.get("subject").asText());
    assertThat(out.at("/claims/mfa").asBoolean()).isTrue();
    assertThat(out.at("/claims/exp").asLong()).isEqualTo(expected.get("now").asLong() + 30);
    assertThat(out.get("tampered").asText()).isEqualTo("bad_mac");
    assertThat(out.get("expired").asText()).isEqualTo("expired");
  }

  @Test
  void theHookRefusesToLoadWithoutA32ByteSecret() throws Exception {
    NodeRun run = loadHookOutsideN8n(Map.of("GATEHOUSE_HOOK_SECRET", "too-short"));

    assertThat(run.exit()).isNotZero();
    assertThat(run.stderr()).contains("gatehouse-hook: GATEHOUSE_HOOK_SECRET must hold at least 32 bytes")
        .doesNotContain("too-short");
  }

  @Test
  void theHookRefusesToLoadOnAnotherN8nVersionUnlessToldAndThenSaysWhatIsMissing() throws Exception {
    Path fakeN8n = Files.createTempDirectory("gatehouse-fake-n8n");
    try {
      Files.writeString(fakeN8n.resolve("package.json"), "{\"name\":\"n8n\",\"version\":\"2.99.0\"}");
      Map<String, String> env = Map.of("GATEHOUSE_HOOK_SECRET", SECRET, "GATEHOUSE_HOOK_N8N_DIR", fakeN8n.toString());

      NodeRun pinned = loadHookOutsideN8n(env);
      assertThat(pinned.exit()).isNotZero();
      assertThat(pinned.stderr()).contains("gatehouse-hook: this hook was tested with n8n 2.41.1, not 2.99.0");

      Map<String, String> untested = new java.util.HashMap<>(env);
      untested.put("GATEHOUSE_HOOK_ALLOW_UNTESTED_N8N", "1");
      NodeRun moved = loadHookOutsideN8n(untested);
      assertThat(moved.exit()).isNotZero();
      assertThat(moved.stderr()).contains("gatehouse-hook: @n8n/di's Container is missing in this n8n");
    } finally {
      try (Stream<Path> files = Files.walk(fakeN8n)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /** Signs a header for {@code email}; refusal cases build theirs in other ways. */
  @FunctionalInterface
  interface Assertion {
    String sign(String email) throws Exception;
  }

  private static String assertion(String email, String name, boolean mfa) {
    return signer.sign("idp|" + email.toLowerCase(), email, name, mfa, Instant.now(), TTL);
  }

  /** An assertion with these exact claims, correctly signed: what a buggy or hostile signer holding the key sends. */
  private static String signed(String claimsJson) throws Exception {
    Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
    String payload = "v1." + base64url.encodeToString(claimsJson.getBytes(UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(UTF_8), "HmacSHA256"));
    return payload + "." + base64url.encodeToString(mac.doFinal(payload.getBytes(UTF_8)));
  }

  private static String workflow(String name) {
    return "{\"name\":\"%s\",\"nodes\":[],\"connections\":{},\"settings\":{}}".formatted(name);
  }

  /** The role of the n8n user with {@code email} as the owner sees it, or null when there is none. */
  private static String roleOf(String email) throws Exception {
    return usersAsOwner().stream().filter(user -> email.equalsIgnoreCase(user.path("email").asText()))
        .map(user -> user.path("role").asText()).findFirst().orElse(null);
  }

  private static long usersWithEmail(String email) throws Exception {
    return usersAsOwner().stream().filter(user -> email.equalsIgnoreCase(user.path("email").asText())).count();
  }

  private static List<JsonNode> usersAsOwner() throws Exception {
    Reply users = rest.send("GET", "/rest/users", null, "Cookie", N8nRest.cookie(ownerSession));
    assertThat(users.status()).as(users.body()).isEqualTo(200);
    JsonNode data = users.data();
    List<JsonNode> list = new ArrayList<>();
    (data.isArray() ? data : data.get("items")).forEach(list::add);
    assertThat(list).as("n8n's user list has the owner").anyMatch(
        user -> N8nServer.OWNER_EMAIL.equals(user.path("email").asText()));
    return list;
  }

  /** n8n has no REST call to disable a user in its community edition (LDAP does it); the database does. */
  private static void disableInDatabase(String email) throws Exception {
    String script = """
        const sqlite3 = require(process.argv[1]);
        const db = new sqlite3.Database(process.argv[2]);
        db.run('UPDATE user SET disabled = 1 WHERE email = ?', [process.argv[3]], function (error) {
          if (error) { console.error(error.message); process.exit(1); }
          console.log(this.changes);
          db.close();
        });
        """;
    NodeRun run = node(Map.of(), script, n8n.n8nPackage().resolveSibling("sqlite3").toString(),
        n8n.userFolder().resolve(".n8n/database.sqlite").toString(), email);
    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(run.stdout().strip()).as("rows disabled").isEqualTo("1");
  }

  private static NodeRun loadHookOutsideN8n(Map<String, String> env) throws Exception {
    return node(env, "require(process.argv[1])", N8nServer.projectRoot().resolve("n8n/gatehouse-hook.js").toString());
  }

  private record NodeRun(int exit, String stdout, String stderr) {}

  private static NodeRun node(Map<String, String> env, String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(n8n.nodeBinary().toString(), "-e", script, "--"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("GATEHOUSE_HOOK_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    var stdout = process.getInputStream();
    var stderr = process.getErrorStream();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("node did not finish in 60 s");
    }
    return new NodeRun(process.exitValue(), new String(stdout.readAllBytes(), UTF_8),
        new String(stderr.readAllBytes(), UTF_8));
  }

  /** The log once it has more than {@code before} lines containing {@code text} (n8n writes its log a bit later). */
  private static String awaitLog(String text, long before) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      String log = Files.readString(n8n.logFile());
      if (count(log, text) > before) return log;
      if (System.nanoTime() > deadline) throw new AssertionError("n8n's log never said \"" + text + "\"");
      Thread.sleep(100);
    }
  }

  private static long count(String log, String text) {
    return log.lines().filter(line -> line.contains(text)).count();
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The hook's own lines from n8n's output: they say which n8n internal moved when the hook refuses to run. */
  private static String whatTheHookSaid(String output) {
    List<String> lines = output == null ? List.of()
        : output.lines().filter(line -> line.contains("gatehouse-hook:")).toList();
    return lines.isEmpty() ? "The hook said nothing (was EXTERNAL_HOOK_FILES read, and did n8n.ready run?)."
        : "The hook said:\n" + String.join("\n", lines);
  }
}
