package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RouteConfig.AuthMode;
import io.gatehouse.config.RouteConfig.SignatureMode;
import io.gatehouse.core.PayloadCapture;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static final String EDITOR_ROUTE = """
      routes:
        - name: "editor"
          match: ["/"]
          upstream: "main"
          allow: ["127.0.0.0/8"]
      """;

  @Test
  void appliesEveryDocumentedDefault() throws Exception {
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, EDITOR_ROUTE), Map.<String, String>of()::get);

    assertThat(result.problems()).isEmpty();
    GatehouseConfig config = result.config().orElseThrow();
    ServerConfig server = config.server();
    assertThat(server.tls().minVersion()).isEqualTo("TLSv1.2");
    assertThat(server.tls().clientCa()).isEmpty();
    assertThat(server.trustedProxies()).isEmpty();
    assertThat(server.maxBody()).isEqualTo(16L * 1024 * 1024);
    assertThat(server.timeouts()).isEqualTo(new Timeouts(
        Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(300),
        Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofHours(1)));
    assertThat(server.maxBufferedBodies()).isEmpty();
    assertThat(server.maxConnections()).isEmpty();
    assertThat(server.maxConnectionsPerIp()).isEqualTo(256);
    assertThat(config.admin().listen()).isEqualTo(new HostPort("127.0.0.1", 9090));
    assertThat(config.sso()).isEmpty();
    assertThat(config.webhooks()).isEmpty();
    assertThat(config.rateLimits()).isEqualTo(RateLimitsConfig.LOCAL);
    assertThat(config.alerts()).isEqualTo(AlertsConfig.NONE);
    RouteConfig route = config.routes().get(0);
    assertThat(route.auth()).isEqualTo(AuthMode.NONE);
    assertThat(route.signature()).isEqualTo(SignatureMode.OFF);
    assertThat(route.logPayloads()).isEqualTo(PayloadCapture.OFF);
    assertThat(route.requireMfa()).isFalse();
    assertThat(route.requireGroups()).isEmpty();
    assertThat(route.rateLimits()).isEmpty();
    assertThat(route.deny()).isEmpty();
    assertThat(route.denyAll()).isFalse();
    assertThat(config.audit().checkpointEvery()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.audit().scrub()).isEqualTo(AuditConfig.Scrub.DEFAULTS);
  }

  @Test
  void resolvesRelativePathsAgainstTheConfigFileDirectory() throws Exception {
    Path file = TestFiles.minimalConfig(dir.resolve("etc"), EDITOR_ROUTE);
    GatehouseConfig config = ConfigLoader.load(file, name -> null).config().orElseThrow();

    Path base = dir.resolve("etc").toAbsolutePath();
    assertThat(config.server().tls().cert()).isEqualTo(base.resolve("tls/server.crt"));
    assertThat(config.server().tls().key()).isEqualTo(base.resolve("tls/server.key"));
    assertThat(config.audit().dir()).isEqualTo(base.resolve("audit"));
    assertThat(config.audit().signingKey()).contains(base.resolve("audit.key"));
    assertThat(config.source()).isEqualTo(file);
  }

  @Test
  void readsEveryKeyOfARoute() throws Exception {
    String yaml = """
        sso:
          issuer: "https://idp.example.com/realms/corp"
          client_id: "gatehouse"
          client_secret: "${env:OIDC}"
          cookie_secret: "${env:COOKIE}"
        routes:
          - name: "editor"
            match: ["/rest/", "/"]
            upstream: "main"
            allow: ["10.0.0.0/8", "fd00::/8"]
            deny: ["10.9.0.0/16"]
            auth: "sso"
            require_groups: ["n8n-users"]
            require_mfa: true
            rate_limit: { key: "identity", rate: "600/m", burst: 100 }
            signature: "optional"
            log_payloads: true
        """;
    Map<String, String> env = Map.of("OIDC", "o".repeat(20), "COOKIE", "c".repeat(40));
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, yaml), env::get);

    assertThat(result.problems()).isEmpty();
    RouteConfig route = result.config().orElseThrow().routes().get(0);
    assertThat(route.name()).isEqualTo("editor");
    assertThat(route.match()).containsExactly("/rest/", "/");
    assertThat(route.upstream()).contains("main");
    assertThat(route.allow()).containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));
    assertThat(route.deny()).containsExactly(Cidr.parse("10.9.0.0/16"));
    assertThat(route.auth()).isEqualTo(AuthMode.SSO);
    assertThat(route.requireGroups()).containsExactly("n8n-users");
    assertThat(route.requireMfa()).isTrue();
    assertThat(route.rateLimits()).containsExactly(new RouteConfig.RateLimitConfig(
        RouteConfig.LimitKey.IDENTITY, Optional.empty(), new Rate(600, Duration.ofMinutes(1)), 100));
    assertThat(route.signature()).isEqualTo(SignatureMode.OPTIONAL);
    assertThat(route.logPayloads()).isEqualTo(PayloadCapture.REQUEST);
  }

  @Test
  void maxPayloadIsAtMostOneMebibyte() throws Exception {
    Path config = TestFiles.minimalConfig(dir, "  scrub: { max_payload: \"1MiB\" }\n" + EDITOR_ROUTE);
    assertThat(ConfigLoader.load(config, name -> null).config().orElseThrow().audit().scrub().maxPayload())
        .isEqualTo(1L << 20);
    config = TestFiles.minimalConfig(dir, "  scrub: { max_payload: \"2MiB\" }\n" + EDITOR_ROUTE);
    LoadResult tooBig = ConfigLoader.load(config, name -> null);
    assertThat(tooBig.config()).isEmpty();
    assertThat(tooBig.problems()).extracting(ConfigProblem::path).containsExactly("audit.scrub.max_payload");
  }

  @Test
  void logPayloadsNamesWhichBodiesAndNeedsTheSigningKeyForTheirHmac() throws Exception {
    for (var word : Map.of("none", PayloadCapture.OFF, "false", PayloadCapture.OFF, "true", PayloadCapture.REQUEST,
        "both", PayloadCapture.BOTH, "request", PayloadCapture.REQUEST, "response", PayloadCapture.RESPONSE).entrySet()) {
      LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, EDITOR_ROUTE + "    log_payloads: "
          + word.getKey() + "\n"), name -> null);
      assertThat(result.problems()).as(word.getKey()).isEmpty();
      assertThat(result.config().orElseThrow().routes().get(0).logPayloads()).isEqualTo(word.getValue());
    }
    LoadResult yes = ConfigLoader.load(TestFiles.minimalConfig(dir, EDITOR_ROUTE + "    log_payloads: yes\n"),
        name -> null);
    assertThat(yes.config()).isEmpty();
    assertThat(yes.problems()).extracting(ConfigProblem::path).containsExactly("routes[0].log_payloads");

    Path unsigned = TestFiles.minimalConfig(dir, EDITOR_ROUTE + "    log_payloads: request\n");
    Files.writeString(unsigned, Files.readString(unsigned).replace("  signing_key: \"audit.key\"\n", ""));
    LoadResult withoutKey = ConfigLoader.load(unsigned, name -> null);
    assertThat(withoutKey.config()).isEmpty();
    assertThat(withoutKey.problems()).filteredOn(p -> p.format().contains(" error: ")).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("audit.signing_key");
      assertThat(p.message()).contains("(editor)").contains("HMAC");
    });
  }

  @Test
  void denyAllRouteNeedsNoUpstreamOrAllowList() throws Exception {
    String yaml = """
        routes:
          - name: "test-webhooks"
            match: ["/webhook-test/"]
            deny: "all"
        """ + EDITOR_ROUTE.substring("routes:\n".length());
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, yaml), name -> null);

    assertThat(result.problems()).isEmpty();
    RouteConfig route = result.config().orElseThrow().routes().get(0);
    assertThat(route.denyAll()).isTrue();
    assertThat(route.upstream()).isEmpty();
  }

  @Test
  void keepsTheConfigWhenThereAreOnlyWarnings() throws Exception {
    String yaml = """
        routes:
          - name: "editor"
            match: ["/"]
            upstream: "main"
        """;
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, yaml), name -> null);

    assertThat(result.hasErrors()).isFalse();
    assertThat(result.hasWarnings()).isTrue();
    assertThat(result.config()).isPresent();
    assertThat(result.problems()).singleElement().satisfies(p -> {
      assertThat(p.severity()).isEqualTo(Severity.WARNING);
      assertThat(p.path()).isEqualTo("routes[0].allow");
    });
  }

  @Test
  void dropsTheConfigWhenThereIsAnyError() throws Exception {
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, "routes: []\n"), name -> null);

    assertThat(result.config()).isEmpty();
    assertThat(result.problems()).extracting(ConfigProblem::format)
        .containsExactly(dir.resolve("gatehouse.yaml") + ":10:9: error: routes: is empty (expected at least one"
            + " route; a path no route matches gets 404)");
  }

  @Test
  void reportsAMissingConfigFileWithoutAPosition() {
    LoadResult result = ConfigLoader.load(Path.of("no-such-dir/gatehouse.yaml"), name -> null);

    assertThat(result.config()).isEmpty();
    assertThat(result.problems()).extracting(ConfigProblem::format)
        .containsExactly("no-such-dir/gatehouse.yaml: error: the file does not exist");
  }

  @Test
  void refusesMoreThanOneYamlDocument() throws Exception {
    Path file = TestFiles.write(dir.resolve("two.yaml"), "server: {}\n---\nserver: {}\n");
    LoadResult result = ConfigLoader.load(file, name -> null);

    assertThat(result.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(2);
      assertThat(p.message()).contains("expected a single document");
    });
  }

  @Test
  void neverCreatesTheAuditDirectory() throws Exception {
    ConfigLoader.load(TestFiles.minimalConfig(dir, EDITOR_ROUTE), name -> null);

    assertThat(dir.resolve("audit")).doesNotExist();
  }

  @Test
  void reportsAllowedKeysForATypoAtTheKeyPosition() throws Exception {
    Path file = TestFiles.minimalConfig(dir, EDITOR_ROUTE + "    upstrem: \"main\"\n");
    LoadResult result = ConfigLoader.load(file, name -> null);

    assertThat(result.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(15);
      assertThat(p.column()).isEqualTo(5);
      assertThat(p.path()).isEqualTo("routes[0].upstrem");
      assertThat(p.message()).startsWith("unknown key; did you mean \"upstream\"? (allowed here: name, match,");
    });
  }

  @Test
  void readsSsoWithDefaultsAndSecretsFromReferences() throws Exception {
    TestFiles.write(dir.resolve("secrets/cookie"), "k".repeat(48) + "\n");
    String yaml = EDITOR_ROUTE + """
        sso:
          issuer: "http://127.0.0.1:8080/realms/dev"
          client_id: "gatehouse"
          client_secret: "${env:OIDC}"
          cookie_secret: "${file:secrets/cookie}"
        webhooks:
          - path: "/webhook/x"
            scheme: "hmac-sha256"
            header: "X-Signature"
            secrets: ["${env:HOOK}"]
        """;
    Map<String, String> env = Map.of("OIDC", "o".repeat(20), "HOOK", "h".repeat(16));
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, yaml), env::get);

    // The webhook path is on a route without signature checks: a warning, nothing else.
    assertThat(result.problems()).extracting(ConfigProblem::path).containsExactly("webhooks[0].path");
    GatehouseConfig config = result.config().orElseThrow();
    SsoConfig sso = config.sso().orElseThrow();
    assertThat(sso.issuer()).isEqualTo(URI.create("http://127.0.0.1:8080/realms/dev"));
    assertThat(sso.clientSecret()).isEqualTo(new Secret("o".repeat(20), true));
    assertThat(sso.cookieSecrets()).containsExactly(new Secret("k".repeat(48), true));
    assertThat(sso.scopes()).containsExactly("openid", "profile", "email");
    assertThat(sso.groupsClaim()).isEqualTo("groups");
    assertThat(sso.session()).isEqualTo(
        new SsoConfig.Session(Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofMinutes(5), Duration.ofMinutes(10),
            "local"));
    WebhookConfig hook = config.webhooks().get(0);
    assertThat(hook.secrets()).containsExactly(new Secret("h".repeat(16), true));
    assertThat(hook.tolerance()).isEqualTo(Duration.ofMinutes(5));
    assertThat(hook.generic()).contains(new WebhookConfig.GenericHmac("X-Signature",
        WebhookConfig.GenericHmac.Encoding.HEX, "", WebhookConfig.GenericHmac.Signed.BODY, Optional.empty(),
        Optional.empty()));
  }

  @Test
  void marksLiteralSecretsAsSuch() throws Exception {
    String yaml = EDITOR_ROUTE + """
        sso:
          issuer: "https://idp.example.com"
          client_id: "gatehouse"
          client_secret: "a-literal-client-secret"
          cookie_secret: "a-literal-cookie-secret-of-at-least-32-bytes"
        """;
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, yaml), name -> null);

    assertThat(result.problems()).extracting(ConfigProblem::severity).containsOnly(Severity.WARNING).hasSize(2);
    assertThat(result.config().orElseThrow().sso().orElseThrow().clientSecret().fromReference()).isFalse();
  }

  @Test
  void refusesAnAdminListenerOnThePublicPort() throws Exception {
    Path file = TestFiles.minimalConfig(dir, EDITOR_ROUTE + "admin: { listen: \"127.0.0.1:8443\" }\n");
    Files.writeString(file, Files.readString(file).replace("127.0.0.1:0", "0.0.0.0:8443"));
    LoadResult result = ConfigLoader.load(file, name -> null);

    assertThat(result.problems()).extracting(ConfigProblem::message)
        .containsExactly("uses the same port as server.listen (0.0.0.0:8443); the admin listener must be separate"
            + " from the public one");
  }

  @Test
  void everyRedisStoreWithoutAUrlOfItsOwnSharesTheRedisSectionWithItsAclLoginAndTlsFiles() throws Exception {
    TestFiles.write(dir.resolve("secrets/redis"), "acl-password-0123\n");
    TestFiles.write(dir.resolve("redis/ca.crt"), TestFiles.CERT);
    TestFiles.write(dir.resolve("redis/client.crt"), TestFiles.CERT);
    TestFiles.write(dir.resolve("redis/client.key"), TestFiles.KEY);
    String yaml = EDITOR_ROUTE + """
        redis:
          url: "rediss://redis.internal:6380"
          username: "${env:REDIS_USER}"
          password: "${file:secrets/redis}"
          tls: { ca: "redis/ca.crt", cert: "redis/client.crt", key: "redis/client.key" }
        rate_limits: { store: "redis" }
        replay: { store: "redis" }
        """;
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, yaml), Map.of("REDIS_USER", "gatehouse")::get);

    assertThat(result.problems()).isEmpty();
    GatehouseConfig config = result.config().orElseThrow();
    RedisConfig redis = config.redis().orElseThrow();
    assertThat(redis.url()).isEqualTo(URI.create("rediss://redis.internal:6380"));
    assertThat(redis.usesTls()).isTrue();
    assertThat(redis.username()).contains("gatehouse");
    assertThat(redis.password()).contains(new Secret("acl-password-0123", true));
    Path base = dir.toAbsolutePath();
    assertThat(redis.tls()).isEqualTo(new RedisConfig.Tls(Optional.of(base.resolve("redis/ca.crt")),
        Optional.of(base.resolve("redis/client.crt")), Optional.of(base.resolve("redis/client.key"))));
    assertThat(config.replay().redis()).contains(redis);
    assertThat(config.rateLimits().redis()).contains(redis);
    assertThat(config.toString()).doesNotContain("acl-password-0123");
  }

  @Test
  void replayStoreWithAUrlOfItsOwnUsesThatUrlAndALocalOneNone() throws Exception {
    String yaml = EDITOR_ROUTE + """
        redis: { url: "rediss://redis.internal:6380" }
        replay: { store: "redis", redis: "redis://127.0.0.1:6379/2" }
        """;
    GatehouseConfig own = ConfigLoader.load(TestFiles.minimalConfig(dir, yaml), name -> null).config().orElseThrow();
    assertThat(own.replay().redis()).contains(RedisConfig.ofUrl(URI.create("redis://127.0.0.1:6379/2")));

    Path local = TestFiles.minimalConfig(dir.resolve("local"), EDITOR_ROUTE + """
        redis: { url: "rediss://redis.internal:6380" }
        replay: { store: "local" }
        """);
    assertThat(ConfigLoader.load(local, name -> null).config().orElseThrow().replay())
        .isEqualTo(ReplayConfig.LOCAL);
  }

  @Test
  void replayStoreRedisWithNeitherItsOwnUrlNorTheRedisSectionIsAnErrorAtItsStoreKey() throws Exception {
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, EDITOR_ROUTE + """
        replay:
          store: "redis"
        """), name -> null);

    assertThat(result.config()).isEmpty();
    assertThat(result.problems()).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("replay.store");
      assertThat(p.message()).isEqualTo("is redis, but there is no redis section (url, username, password, tls)"
          + " nor a replay.redis URL");
    });
  }

  @Test
  void plainRedisOnLoopbackAndAPasswordInAUrlFromTheEnvironmentAreNoWarning() throws Exception {
    for (String url : new String[] {"redis://127.0.0.1:6379", "redis://localhost", "redis://[::1]:6379",
        "${env:REDIS_URL}"}) {
      Path file = TestFiles.minimalConfig(dir, EDITOR_ROUTE + "redis: { url: \"" + url + "\" }\n");
      LoadResult result = ConfigLoader.load(file, Map.of("REDIS_URL", "rediss://:pw-from-env@redis.internal")::get);
      assertThat(result.problems()).as(url).isEmpty();
    }
  }

  @Test
  void plainRedisToAnotherHostIsAWarningAboutTheNetworkForEveryRedisUrl() throws Exception {
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, EDITOR_ROUTE + """
        redis: { url: "redis://redis.internal:6379" }
        rate_limits: { store: "redis", redis: "redis://10.1.2.3:6379" }
        """), name -> null);

    assertThat(result.config()).isPresent();
    assertThat(result.problems()).extracting(ConfigProblem::path).containsExactly("redis.url", "rate_limits.redis");
    assertThat(result.problems()).allSatisfy(p -> {
      assertThat(p.severity()).isEqualTo(Severity.WARNING);
      assertThat(p.message()).contains("cross the network in clear (use rediss://)");
    });
  }

  @Test
  void readsAlertsWithTheSecretFromAReference() throws Exception {
    String yaml = EDITOR_ROUTE + """
        alerts:
          webhook: "https://n8n.example.com/webhook/gatehouse-alerts"
          secret: "${env:GATEHOUSE_ALERT_SECRET}"
        """;
    Map<String, String> env = Map.of("GATEHOUSE_ALERT_SECRET", "a".repeat(32));
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, yaml), env::get);

    assertThat(result.problems()).isEmpty();
    AlertsConfig alerts = result.config().orElseThrow().alerts();
    assertThat(alerts.webhook()).contains(URI.create("https://n8n.example.com/webhook/gatehouse-alerts"));
    assertThat(alerts.secret()).contains(new Secret("a".repeat(32), true));
  }

  @Test
  void refusesAnAlertWebhookWithoutItsSecret() throws Exception {
    String yaml = EDITOR_ROUTE + "alerts: { webhook: \"http://127.0.0.1:5678/webhook/alerts\" }\n";
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, yaml), name -> null);

    assertThat(result.config()).isEmpty();
    assertThat(result.problems()).extracting(ConfigProblem::path).containsExactly("alerts.secret");
  }
}
