package io.gatehouse.idp;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.guard.replay.RedisServer;
import io.gatehouse.it.GatewayHarness;
import io.gatehouse.it.GatewayProcess;
import io.gatehouse.it.MetricsText;
import io.gatehouse.it.TestUpstream;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What the IdP does to sessions already open at the gateway, with a Keycloak of this class's own (it is stopped
 * here): a logout at Keycloak reaches the gateway as a back-channel logout (over https: this Keycloak trusts the
 * gateway's CA) and ends that session at once, also on a second replica that shares revocations with the first
 * through a real Redis ({@code revocations: redis}); the replicas revalidate a session once between them, however
 * many requests reach each; while Keycloak is down, sessions go on for {@code idp_down_grace}
 * past their due revalidation and new logins get 503 {@code idp_unavailable}; once it is back, logins work again.
 *
 * <p>The gateway starts first (Keycloak must trust its CA, made at start), with an issuer nothing answers at, and is
 * then given the real one through a config reload, which also shows SSO taking a new issuer without a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SsoIdpEventsIT {
  private static Vertx vertx;
  private static TestUpstream upstream;
  private static KeycloakServer keycloak;
  private static GatewayHarness gateway;
  private static String publicUrl;
  /** A second replica: same cookie secret, same Redis; Keycloak knows only the first. */
  private static GatewayHarness replica;
  private static RedisServer redis;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    redis = RedisServer.start();
    int port = GatewayProcess.freePort();
    publicUrl = "https://localhost:" + port;
    GatewayHarness.Options options = GatewayHarness.Options.DEFAULTS.withListen("127.0.0.1:" + port)
        .withPublicUrl(publicUrl);
    gateway = GatewayHarness.start(upstream.url(), sections("http://127.0.0.1:1/realms/none", "gatehouse", "x".repeat(24)),
        "", options);
    keycloak = KeycloakServer.launch(List.of(gateway.dir().resolve("certs/ca.crt")));
    configureClient();
    Path config = gateway.dir().resolve("gatehouse-with-keycloak.yaml");
    Files.writeString(config, GatewayHarness.configYaml(upstream.url(),
        sections(keycloak.issuer(), keycloak.clientId(), keycloak.clientSecret()), "", options));
    assertThat(gateway.gateway().apply(GatewayHarness.load(config))).as("reload problems").isEmpty();
    int replicaPort = GatewayProcess.freePort();
    replica = GatewayHarness.start(upstream.url(), sections(keycloak.issuer(), keycloak.clientId(),
        keycloak.clientSecret()), "", GatewayHarness.Options.DEFAULTS.withListen("127.0.0.1:" + replicaPort)
        .withPublicUrl("https://localhost:" + replicaPort));
  }

  private static void configureClient() throws Exception {
    keycloak.admin().configureGatehouseClient(List.of(publicUrl + "/_gatehouse/oidc/callback"),
        List.of(publicUrl + "/"), Optional.of(publicUrl + "/_gatehouse/oidc/backchannel-logout"));
  }

  private static String sections(String issuer, String clientId, String clientSecret) {
    return """
        redis: { url: "%s" }
        sso:
          issuer: "%s"
          client_id: "%s"
          client_secret: "%s"
          cookie_secret: "cookie-secret-for-the-idp-events-test-0123456789"
          session: { idle_timeout: "30m", max_lifetime: "1h", revalidate_every: "5s", idp_down_grace: "20s",
                     revocations: "redis" }
        routes:
          - name: "editor"
            match: ["/"]
            upstream: "main"
            allow: ["127.0.0.0/8", "::1/128"]
            auth: "sso"
        """.formatted(redis.url(), issuer, clientId, clientSecret);
  }

  @AfterAll static void stop() throws Exception {
    if (replica != null) replica.close();
    if (gateway != null) gateway.close();
    if (redis != null) redis.stop();
    if (keycloak != null) keycloak.close();
    if (upstream != null) upstream.close();
    if (vertx != null) vertx.close().await();
  }

  @Test @Order(1) void aLogoutAtTheIdpEndsTheGatewaySessionAtOnceThroughBackChannelLogoutOnEveryReplica()
      throws Exception {
    LoginBrowser alice = new LoginBrowser(gateway.sslContext(), publicUrl);
    alice.logIn(publicUrl + "/", TestRealm.ALICE);
    assertThat(alice.send(alice.request(publicUrl + "/rest/x")).statusCode()).isEqualTo(200);
    assertThat(onReplica(alice, "/rest/x").statusCode()).as("the replica opens the same cookie").isEqualTo(200);

    keycloak.admin().logout(TestRealm.ALICE.username());

    // Keycloak posts the logout token before its admin call returns: no wait for a revalidation is needed.
    assertThat(alice.send(alice.request(publicUrl + "/rest/x")).statusCode()).isEqualTo(401);
    assertThat(gateway.metrics())
        .containsPattern("gatehouse_sso_events_total\\{event=\"backchannel_logout\",outcome=\"ok\"\\} [1-9]")
        .containsPattern("gatehouse_sso_events_total\\{event=\"revocation_shared\",outcome=\"ok\"\\} [1-9]");
    // The replica learns it through Redis within moments, long before its revalidation (5 s) would find out.
    GatewayHarness.awaitTrue(() -> onReplica(alice, "/rest/x").statusCode() == 401, Duration.ofSeconds(2),
        "the replica refuses the logged-out session");
  }

  @Test @Order(2) void twoReplicasRevalidateADueSessionOnceBetweenThemForManyParallelRequests() throws Exception {
    LoginBrowser alice = new LoginBrowser(gateway.sslContext(), publicUrl);
    alice.logIn(publicUrl + "/", TestRealm.ALICE);
    Thread.sleep(5_500); // past revalidate_every
    double before = revalidations(gateway) + revalidations(replica);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        boolean first = i % 2 == 0;
        statuses.add(pool.submit(() -> first ? alice.send(alice.request(publicUrl + "/rest/x")).statusCode()
            : onReplica(alice, "/rest/x").statusCode()));
      }
      for (Future<Integer> status : statuses) assertThat(status.get(20, TimeUnit.SECONDS)).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
    assertThat(revalidations(gateway) + revalidations(replica) - before).as("refresh grants made").isEqualTo(1);
  }

  /**
   * Redis down: the replica Keycloak tells ends the session at once and says the logout was not shared (503, so the
   * IdP's admin sees it); the other replica ends it at its next revalidation, because Keycloak refuses the refresh.
   */
  @Test @Order(3) void aBackChannelLogoutThatCannotBeSharedEndsTheSessionHereAt503AndOnTheReplicaAtRevalidation()
      throws Exception {
    // One IdP session only. With the previous test's session of alice's still open, this session was once not logged
    // out here at all: Keycloak seems to end its back-channel round at the first call that fails (the 503 below).
    keycloak.admin().logout(TestRealm.ALICE.username());
    LoginBrowser alice = new LoginBrowser(gateway.sslContext(), publicUrl);
    alice.logIn(publicUrl + "/", TestRealm.ALICE);
    assertThat(onReplica(alice, "/rest/x").statusCode()).isEqualTo(200);
    redis.stop();
    try {
      keycloak.admin().logout(TestRealm.ALICE.username());

      assertThat(alice.send(alice.request(publicUrl + "/rest/x")).statusCode()).isEqualTo(401);
      assertThat(MetricsText.value(gateway.metrics(), "gatehouse_sso_events_total",
          Map.of("event", "backchannel_logout", "outcome", "store_unavailable"))).isGreaterThanOrEqualTo(1);
      assertThat(onReplica(alice, "/rest/x").statusCode()).as("the replica was not told").isEqualTo(200);
      GatewayHarness.awaitTrue(() -> onReplica(alice, "/rest/x").statusCode() == 401, Duration.ofSeconds(10),
          "the replica ends the session at its revalidation (revalidate_every 5s)");
    } finally {
      redis.startAgain();
    }
  }

  private static double revalidations(GatewayHarness on) throws Exception {
    return MetricsText.value(on.metrics(), "gatehouse_sso_events_total", Map.of("event", "revalidation", "outcome", "ok"));
  }

  /** The same browser's cookies sent to the replica (another port of localhost, its own dev CA). */
  private static HttpResponse<String> onReplica(LoginBrowser browser, String path) {
    try {
      String url = "https://localhost:" + replica.port() + path;
      return replica.http1().send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", browser.cookieHeader(url))
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test @Order(4) void whileTheIdpIsDownSessionsGoOnForTheGraceAndNewLoginsAre503() throws Exception {
    LoginBrowser carol = new LoginBrowser(gateway.sslContext(), publicUrl);
    carol.logIn(publicUrl + "/", TestRealm.CAROL);
    keycloak.stop();
    try {
      // Past revalidate_every (5 s) the refresh cannot be made: within idp_down_grace (20 s) the session goes on.
      Thread.sleep(6_000);
      assertThat(carol.send(carol.request(publicUrl + "/rest/x")).statusCode()).as("within the grace").isEqualTo(200);
      LoginBrowser newcomer = new LoginBrowser(gateway.sslContext(), publicUrl);
      var login = newcomer.navigate(publicUrl + "/");
      assertThat(login.statusCode()).isEqualTo(503);
      assertThat(login.body()).contains("idp_unavailable");
      // Past the grace (5 s + 20 s after the last revalidation) the session ends.
      Thread.sleep(21_000);
      assertThat(carol.send(carol.request(publicUrl + "/rest/x")).statusCode()).as("past the grace").isEqualTo(401);
    } finally {
      keycloak.start();
      // Keycloak keeps its realm in memory here: the restart re-imported it, without the URIs set at runtime.
      configureClient();
    }
    // One failed call marks the IdP down for logins for 15 s: the first login after that works.
    Thread.sleep(15_000);
    LoginBrowser again = new LoginBrowser(gateway.sslContext(), publicUrl);
    again.logIn(publicUrl + "/", TestRealm.CAROL);
    assertThat(again.send(again.request(publicUrl + "/rest/x")).statusCode()).as("logins work again").isEqualTo(200);
  }
}
