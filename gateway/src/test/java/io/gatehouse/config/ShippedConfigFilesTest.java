package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RouteConfig.AuthMode;
import io.gatehouse.config.RouteConfig.SignatureMode;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.GuardChain;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files in {@code config/} load. The example names production paths ({@code /etc/gatehouse/…},
 * {@code /var/log/gatehouse}), so it is copied into a temporary directory with those prefixes rewritten and the
 * files and environment variables it refers to provided; nothing else in it is changed. The development file uses
 * paths relative to itself, so it is copied next to a {@code run/certs/} with a certificate and key and a
 * {@code run/secrets/} with the example webhook's secret, as the dev run script lays them out.
 */
class ShippedConfigFilesTest {
  private static final Path CONFIG_DIR = Path.of(System.getProperty("basedir", "."), "..", "config").normalize();
  private static final String DEV_WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir Path dir;

  @Test
  void exampleLoadsWithoutAnyProblem() throws Exception {
    LoadResult result = loadExample();

    // The only remarks are about the key this version parses but does not enforce yet (rate limits).
    assertThat(result.problems()).extracting(ConfigProblem::format)
        .allSatisfy(line -> assertThat(line).contains("warning:").contains("not enforced by this version"));
    assertThat(result.problems()).extracting(ConfigProblem::path).allSatisfy(p -> assertThat(p).endsWith(".rate_limit"));
    GatehouseConfig config = result.config().orElseThrow();
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
            r.upstream().<Route.Target>map(Route.Target.Upstream::new).orElseGet(Route.Target.Refusing::new), false,
            config.server().maxBody()))
        .toList();
    String path = ((Normalized.Ok) PathNormalizer.normalize(target)).path();
    return new RouteTable(ReservedRoute.empty(config.server().maxBody()), routes).match(path).orElseThrow();
  }

  private LoadResult loadExample() throws Exception {
    Path base = Files.createTempDirectory(dir, "example");
    String text = Files.readString(CONFIG_DIR.resolve("gatehouse.example.yaml"), StandardCharsets.UTF_8);
    assertThat(text).contains("\"/etc/gatehouse/tls/server.crt\"", "\"/var/log/gatehouse\"");
    Path etc = base.resolve("etc");
    TestFiles.write(etc.resolve("tls/server.crt"), TestFiles.CERT);
    TestFiles.write(etc.resolve("tls/server.key"), TestFiles.KEY);
    TestFiles.write(etc.resolve("audit.key"), TestFiles.KEY);
    Path file = TestFiles.write(base.resolve("gatehouse.yaml"), text
        .replace("\"/etc/gatehouse/", "\"" + etc + "/")
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

    // Development runs without an audit signing key; that is the one warning.
    assertThat(result.problems()).extracting(ConfigProblem::path).containsExactly("audit.signing_key");
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
    assertThat(webhooks.rateLimit()).as("no rate limit until this version enforces one").isEmpty();
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
    assertThat(config.routes().get(5).auth()).isEqualTo(AuthMode.NONE);
  }

  /** Only the dev file is written; the example's lives in its own directory, so both can load in one test. */
  private LoadResult loadDev() throws Exception {
    Path dir = this.dir.resolve("dev");
    Path file = TestFiles.write(dir.resolve("config/gatehouse.dev.yaml"),
        Files.readString(CONFIG_DIR.resolve("gatehouse.dev.yaml"), StandardCharsets.UTF_8));
    TestFiles.write(dir.resolve("run/certs/server.crt"), TestFiles.CERT);
    TestFiles.write(dir.resolve("run/certs/server.key"), TestFiles.KEY);
    TestFiles.write(dir.resolve("run/secrets/claims-intake.secret"), DEV_WEBHOOK_SECRET + "\n");
    return ConfigLoader.load(file, name -> null);
  }
}
