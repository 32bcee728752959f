package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.config.RouteConfig.AuthMode;
import io.gatehouse.config.RouteConfig.SignatureMode;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.GuardChain;
import io.gatehouse.core.PayloadCapture;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import io.gatehouse.core.Verdict;
import io.gatehouse.guard.DenyAllGuard;
import io.gatehouse.route.Normalized;
import io.gatehouse.route.PathNormalizer;
import io.gatehouse.route.ReservedRoute;
import io.gatehouse.route.RouteTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files in {@code config/} load. The example names production paths ({@code /etc/gatehouse/…},
 * {@code /var/log/gatehouse}), so it is copied into a temporary directory with those prefixes rewritten and the
 * files and environment variables it refers to provided; nothing else in it is changed. The development file uses
 * paths relative to itself, so it is copied next to a {@code run/certs/} with a certificate and key and a
 * {@code run/secrets/} with the example webhook's secret and the SSO secrets, as the dev run script lays them out.
 * The development Keycloak realm the dev config signs in at is read as JSON and checked against the dev config.
 */
class ShippedConfigFilesTest {
  private static final Path CONFIG_DIR = Path.of(System.getProperty("basedir", "."), "..", "config").normalize();
  private static final String DEV_WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String DEV_CLIENT_SECRET = "dev0client0secret0Xq7Lk2Vw9Rt4Yb8Nc3Mz6";
  private static final String DEV_COOKIE_SECRET = "dev0cookie0secret0Hs5Jd8Kf2Lg6Pq9Wr3Tx7Vb1Nm4Zc8Ae2Uy5Io0Ek6";
  private static final String DEV_HOOK_SECRET = "dev0hook0secret0Bn4Mv7Cx1Zl5Kj8Hg2Fd6Sa9Qw3Er7Ty0Ui4Op8Gh2Jk";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void exampleLoadsWithoutAnyProblem() throws Exception {
    LoadResult result = loadExample();

    assertThat(result.problems()).extracting(ConfigProblem::format).isEmpty();
    GatehouseConfig config = result.config().orElseThrow();
    assertThat(config.routes().get(0).rateLimits()).singleElement()
        .satisfies(l -> assertThat(l.keyText()).isEqualTo("client_ip"));
    assertThat(config.rateLimits().lockout()).contains(
        new RateLimitsConfig.Lockout(10, java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(15)));
    assertThat(config.routes()).extracting(RouteConfig::name)
        .containsExactly("webhooks", "forms-and-resume", "test-webhooks", "mcp", "public-api", "editor");
    assertThat(config.upstreams()).containsOnlyKeys("main", "webhook");
    assertThat(config.sso()).isPresent();
    assertThat(config.webhooks()).singleElement().satisfies(w -> assertThat(w.secrets()).hasSize(2));
    assertThat(config.audit().scrub().keys()).containsExactly("member_id");
    RouteConfig mcp = config.routes().get(3);
    assertThat(mcp.upstream()).contains("webhook");
    assertThat(mcp.auth()).as("fails closed until bearer tokens are enforced").isEqualTo(AuthMode.BEARER);
    assertThat(mcp.allow()).isNotEmpty().doesNotContain(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));
  }

  @Test
  void examplesCommentedRedisSectionLoadsOnceUncommentedAndTheReplayStoreCanUseIt() throws Exception {
    LoadResult result = loadExample(text -> {
      int start = text.indexOf("# redis:\n");
      int end = text.indexOf('\n', text.indexOf("#   tls: {", start)) + 1;
      assertThat(start).as("the example's redis block").isPositive();
      String block = text.substring(start, end).lines().map(line -> line.substring(2) + "\n")
          .collect(java.util.stream.Collectors.joining());
      return text.substring(0, start) + block + text.substring(end)
          .replace("  store: \"local\"\n  # A redis:// or rediss:// URL of its own",
              "  store: \"redis\"\n  # A redis:// or rediss:// URL of its own")
          .replace("  redis: \"redis://127.0.0.1:6379\"\n  # A Redis call slower", "  # A Redis call slower");
    });

    assertThat(result.problems()).extracting(ConfigProblem::format).isEmpty();
    GatehouseConfig config = result.config().orElseThrow();
    RedisConfig redis = config.redis().orElseThrow();
    assertThat(redis.usesTls()).isTrue();
    assertThat(redis.username()).contains("gatehouse");
    assertThat(redis.password().orElseThrow().value()).isEqualTo("redis-acl-password");
    assertThat(redis.tls().ca()).isPresent();
    assertThat(config.replay().redis()).contains(redis);
  }

  @Test
  void bothShippedConfigsRefuseTestMcpAndGiveMcpItsOwnRoute() throws Exception {
    for (LoadResult result : new LoadResult[] {loadExample(), loadDev()}) {
      GatehouseConfig config = result.config().orElseThrow();
      for (String path : new String[] {"/mcp-test/x", "/MCP-TEST/x", "/Mcp-Test/abc/sse", "/mcp-test"}) {
        Route route = classify(config, path);
        assertThat(route.name()).as(path).isEqualTo("test-webhooks");
        assertThat(route.guards().run(new Exchange("r", null)).result()).as(path)
            .isEqualTo(new Verdict.Refuse(Reason.ROUTE_DENIED));
      }
      for (String path : new String[] {"/mcp/x", "/MCP/x", "/mcp/abc/messages", "/mcp"}) {
        assertThat(classify(config, path).name()).as(path).isEqualTo("mcp");
      }
    }
  }

  /**
   * The route the gateway picks for {@code target}: the real normalizer and route table over the file's routes.
   * Only a deny rule's guard is built, the one guard that decides these routes' refusal.
   */
  private static Route classify(GatehouseConfig config, String target) {
    List<Route> routes = config.routes().stream()
        .map(r -> new Route(r.name(), r.match(), new GuardChain(r.denyAll() ? List.of(new DenyAllGuard()) : List.of()),
            r.upstream().<Route.Target>map(Route.Target.Upstream::new).orElseGet(Route.Target.Refusing::new),
            PayloadCapture.OFF,
            config.server().maxBody()))
        .toList();
    String path = ((Normalized.Ok) PathNormalizer.normalize(target)).path();
    return new RouteTable(ReservedRoute.empty(config.server().maxBody()), routes).match(path).orElseThrow();
  }

  private LoadResult loadExample() throws Exception {
    return loadExample(text -> text);
  }

  /** @param edit applied to the example's text before the production paths are rewritten */
  private LoadResult loadExample(java.util.function.UnaryOperator<String> edit) throws Exception {
    Path base = Files.createTempDirectory(dir, "example");
    String text = edit.apply(Files.readString(CONFIG_DIR.resolve("gatehouse.example.yaml"), StandardCharsets.UTF_8));
    assertThat(text).contains("\"/etc/gatehouse/tls/server.crt\"", "\"/var/log/gatehouse\"");
    Path etc = base.resolve("etc");
    TestFiles.write(etc.resolve("tls/server.crt"), TestFiles.CERT);
    TestFiles.write(etc.resolve("tls/server.key"), TestFiles.KEY);
    TestFiles.write(etc.resolve("audit.key"), TestFiles.KEY);
    TestFiles.write(etc.resolve("redis-ca.crt"), TestFiles.CERT);
    TestFiles.write(base.resolve("run/secrets/redis-password"), "redis-acl-password\n");
    Path file = TestFiles.write(base.resolve("gatehouse.yaml"), text
        .replace("\"/etc/gatehouse/", "\"" + etc + "/")
        .replace("${file:/run/secrets/", "${file:" + base.resolve("run/secrets") + "/")
        .replace("\"/var/log/gatehouse\"", "\"" + base.resolve("log") + "\""));
    Map<String, String> env = Map.of(
        "GATEHOUSE_OIDC_SECRET", "oidc-client-secret-0123456789",
        "GATEHOUSE_COOKIE_SECRET", "cookie-secret-0123456789abcdef0123456789abcdef",
        "GATEHOUSE_N8N_HOOK_SECRET", "n8n-hook-secret-0123456789abcdef0123456789",
        "CLAIMS_SECRET", "claims-secret-0123456789abcdef",
        "CLAIMS_SECRET_PREVIOUS", "claims-secret-previous-0123456789");

    return ConfigLoader.load(file, env::get);
  }

  @Test
  void exampleMentionsEveryKeyTheLoaderAccepts() throws Exception {
    String text = Files.readString(CONFIG_DIR.resolve("gatehouse.example.yaml"), StandardCharsets.UTF_8);
    for (String key : new String[] {"server:", "listen:", "public_url:", "tls:", "cert:", "key:", "min_version:",
        "client_ca:", "trusted_proxies:", "max_body:", "timeouts:", "idle:", "request_header:", "upstream_connect:",
        "upstream_response:", "admin:", "upstreams:", "urls:", "sso:", "issuer:", "client_id:", "client_secret:",
        "cookie_secret:", "scopes:", "groups_claim:", "session:", "idle_timeout:", "max_lifetime:",
        "revalidate_every:", "webhooks:", "path:", "scheme:", "secrets:", "tolerance:", "rate_limits:", "store:",
        "redis:", "routes:", "name:", "match:", "upstream:", "allow:", "deny:", "auth:", "require_groups:",
        "require_mfa:", "rate_limit:", "rate:", "burst:", "signature:", "log_payloads:", "audit:", "dir:",
        "signing_key:", "checkpoint_every:", "scrub:", "keys:", "max_payload:"}) {
      assertThat(text).as(key).containsPattern("(?m)^[ -]*(\\{ )?" + key.replace(":", "") + ":|[{,] "
          + key.replace(":", "") + ":");
    }
  }

  @Test
  void devConfigLoadsNextToTheDevCertificates() throws Exception {
    LoadResult result = loadDev();
    Path dir = this.dir.resolve("dev");

    // Development signs its audit log with the key ./gatehouse-dev writes: no warning at all.
    assertThat(result.problems()).isEmpty();
    GatehouseConfig config = result.config().orElseThrow();
    assertThat(config.server().listen()).isEqualTo(new HostPort("127.0.0.1", 8443));
    assertThat(config.server().publicUrl().toString()).isEqualTo("https://localhost:8443");
    assertThat(config.server().tls().cert()).isEqualTo(dir.resolve("run/certs/server.crt").toAbsolutePath());
    assertThat(config.admin().listen()).isEqualTo(new HostPort("127.0.0.1", 9090));
    assertThat(config.audit().dir()).isEqualTo(dir.resolve("run/audit").toAbsolutePath());
    assertThat(config.routes()).extracting(RouteConfig::name)
        .containsExactly("webhooks", "forms", "test-webhooks", "mcp", "public-api", "editor");
    RouteConfig webhooks = config.routes().get(0);
    assertThat(webhooks.upstream()).contains("webhook");
    assertThat(webhooks.allow()).containsExactly(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
    assertThat(webhooks.signature()).isEqualTo(SignatureMode.REQUIRED);
    assertThat(config.webhooks()).singleElement().satisfies(w -> {
      assertThat(w.path()).isEqualTo("/webhook/claims-intake");
      assertThat(w.secrets()).extracting(Secret::value).containsExactly(DEV_WEBHOOK_SECRET);
    });
    RouteConfig forms = config.routes().get(1);
    assertThat(forms.upstream()).contains("webhook");
    assertThat(forms.signature()).as("browsers fill in forms; they cannot sign").isEqualTo(SignatureMode.OFF);
    assertThat(config.routes().get(2).denyAll()).isTrue();
    assertThat(config.routes().get(3).denyAll()).as("MCP stays closed in development until opened").isTrue();
    assertThat(config.routes().get(4).auth()).isEqualTo(AuthMode.N8N_API_KEY);
    RouteConfig editor = config.routes().get(5);
    assertThat(editor.auth()).isEqualTo(AuthMode.SSO);
    assertThat(editor.requireGroups()).containsExactly("n8n-users");
    SsoConfig sso = config.sso().orElseThrow();
    assertThat(sso.issuer().toString()).isEqualTo("http://127.0.0.1:8180/realms/gatehouse-dev");
    assertThat(sso.clientId()).isEqualTo("gatehouse");
    assertThat(sso.clientSecret().value()).isEqualTo(DEV_CLIENT_SECRET);
    assertThat(sso.cookieSecrets()).extracting(Secret::value).containsExactly(DEV_COOKIE_SECRET);
    assertThat(sso.n8nUsers()).hasValueSatisfying(users -> {
      assertThat(users.secret().value()).isEqualTo(DEV_HOOK_SECRET);
      assertThat(users.role()).isEqualTo("global:member");
    });
  }

  /**
   * ./gatehouse-dev imports the realm file into Keycloak and starts Gatehouse with the dev config: the realm's name,
   * client, redirect URIs and groups must be the ones the config uses, or the sign-in fails only when someone tries.
   */
  @Test
  void devRealmHasTheClientGroupAndPeopleTheDevConfigSignsInWith() throws Exception {
    GatehouseConfig config = loadDev().config().orElseThrow();
    SsoConfig sso = config.sso().orElseThrow();
    JsonNode realm = JSON.readTree(CONFIG_DIR.resolve("keycloak/gatehouse-dev-realm.json").toFile());

    assertThat(sso.issuer().getPath()).isEqualTo("/realms/" + realm.path("realm").asText());
    JsonNode client = single(realm.path("clients"), c -> sso.clientId().equals(c.path("clientId").asText()));
    assertThat(client.path("publicClient").asBoolean(true)).as("confidential").isFalse();
    assertThat(client.path("standardFlowEnabled").asBoolean()).isTrue();
    assertThat(client.path("directAccessGrantsEnabled").asBoolean(true)).isFalse();
    assertThat(client.path("attributes").path("pkce.code.challenge.method").asText()).isEqualTo("S256");
    assertThat(client.path("redirectUris")).extracting(JsonNode::asText)
        .containsExactly(config.server().publicUrl() + "/_gatehouse/oidc/callback");
    assertThat(client.path("attributes").path("post.logout.redirect.uris").asText())
        .isEqualTo(config.server().publicUrl() + "/*");
    assertThat(client.path("attributes").path("backchannel.logout.url").asText())
        .isEqualTo(config.server().publicUrl() + "/_gatehouse/oidc/backchannel-logout");
    assertThat(client.path("attributes").path("backchannel.logout.session.required").asText()).isEqualTo("true");
    assertThat(client.path("secret").asText()).as("filled in by Keycloak from gatehouse-dev's environment")
        .isEqualTo("${GATEHOUSE_DEV_CLIENT_SECRET}");
    JsonNode groupsMapper = single(client.path("protocolMappers"),
        m -> "oidc-group-membership-mapper".equals(m.path("protocolMapper").asText()));
    assertThat(groupsMapper.path("config").path("claim.name").asText()).isEqualTo(sso.groupsClaim());
    assertThat(groupsMapper.path("config").path("full.path").asText()).as("names, not paths").isEqualTo("false");
    assertThat(groupsMapper.path("config").path("id.token.claim").asText()).isEqualTo("true");

    String group = config.routes().get(5).requireGroups().get(0);
    assertThat(realm.path("groups")).extracting(g -> g.path("name").asText()).containsExactly(group);
    JsonNode alice = single(realm.path("users"), u -> "alice".equals(u.path("username").asText()));
    JsonNode bob = single(realm.path("users"), u -> "bob".equals(u.path("username").asText()));
    assertThat(alice.path("groups")).extracting(JsonNode::asText).containsExactly("/" + group);
    assertThat(bob.path("groups")).isEmpty();
    for (JsonNode person : List.of(alice, bob)) {
      assertThat(person.path("email").asText()).endsWith("@gatehouse.local");
      JsonNode password = single(person.path("credentials"), c -> "password".equals(c.path("type").asText()));
      assertThat(password.path("value").asText()).as("generated by gatehouse-dev, never in the file")
          .isEqualTo("${GATEHOUSE_DEV_" + person.path("username").asText().toUpperCase(Locale.ROOT)
              + "_PASSWORD}");
    }
  }

  private static JsonNode single(JsonNode array, Predicate<JsonNode> which) {
    List<JsonNode> found = new ArrayList<>();
    array.forEach(node -> { if (which.test(node)) found.add(node); });
    assertThat(found).as("exactly one match in %s", array).hasSize(1);
    return found.get(0);
  }

  /** Only the dev file is written; the example's lives in its own directory, so both can load in one test. */
  private LoadResult loadDev() throws Exception {
    Path dir = this.dir.resolve("dev");
    Path file = TestFiles.write(dir.resolve("config/gatehouse.dev.yaml"),
        Files.readString(CONFIG_DIR.resolve("gatehouse.dev.yaml"), StandardCharsets.UTF_8));
    TestFiles.write(dir.resolve("run/certs/server.crt"), TestFiles.CERT);
    TestFiles.write(dir.resolve("run/certs/server.key"), TestFiles.KEY);
    TestFiles.write(dir.resolve("run/secrets/claims-intake.secret"), DEV_WEBHOOK_SECRET + "\n");
    TestFiles.write(dir.resolve("run/secrets/oidc-client.secret"), DEV_CLIENT_SECRET + "\n");
    TestFiles.write(dir.resolve("run/secrets/session-cookie.secret"), DEV_COOKIE_SECRET + "\n");
    TestFiles.write(dir.resolve("run/secrets/n8n-hook.secret"), DEV_HOOK_SECRET + "\n");
    TestFiles.write(dir.resolve("run/audit.key"), TestFiles.KEY);
    return ConfigLoader.load(file, name -> null);
  }
}
