package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret values must not reach problem messages or the loaded config's {@code toString()}: both get logged. */
class SecretRedactionTest {
  @TempDir Path dir;

  /** Every secret-ish value below contains this marker, so one check covers them all. */
  private static final String MARK = "LEAK";

  @Test
  void problemMessagesNeverContainSecretValues() throws Exception {
    TestFiles.write(dir.resolve("hook-secret"), "LEAK-file-webhook-secret-0123456789\n");
    TestFiles.write(dir.resolve("listen"), "LEAK-file-used-as-listen\n");
    String yaml = """
        admin:
          listen: "${file:listen}"
        sso:
          issuer: "https://idp.example.com"
          client_id: "gatehouse"
          client_secret: "LEAKy"
          cookie_secret: "${env:COOKIE}"
          scopes: ["profile"]
        webhooks:
          - path: "/webhook/a"
            scheme: "github"
            secrets: ["LEAK-literal-webhook-secret-long-enough", "${file:hook-secret}", "LEAK", "${env:UNSET}"]
        redis:
          url: "${env:REDIS_URL}"
          username: "${env:REDIS_USER}"
          password: "LEAK-literal-redis-password"
        rate_limits:
          store: "redis"
          redis: "${env:REDIS_URL}"
        routes:
          - name: "editor"
            match: ["/"]
            upstream: "${env:UPSTREAM}"
            allow: ["${env:NETWORK}", "not-a-cidr"]
            deny: "${env:DENY}"
            auth: "sso"
            signature: "${env:MODE}"
            rate_limit: { key: "client_ip", rate: "${env:RATE}", burst: "${env:BURST}" }
          - name: "${env:NAME}"
            match: ["${env:PREFIX}", "${env:PREFIX}/"]
            upstream: "main"
            allow: ["127.0.0.1"]
          - name: "${env:NAME}"
            match: ["/x"]
            upstream: "main"
            allow: ["127.0.0.1"]
        """;
    Map<String, String> env = Map.ofEntries(
        Map.entry("COOKIE", "LEAK-env-cookie-too-short"),
        Map.entry("REDIS_URL", "LEAK://user:pass@redis"),
        Map.entry("REDIS_USER", "LEAK-user"),
        Map.entry("UPSTREAM", "LEAK-upstream"),
        Map.entry("NETWORK", "LEAK-network"),
        Map.entry("DENY", "LEAK-deny"),
        Map.entry("MODE", "LEAK-mode"),
        Map.entry("RATE", "LEAK/s"),
        Map.entry("BURST", "LEAK-burst"),
        Map.entry("NAME", "LEAK-name"),
        Map.entry("PREFIX", "LEAK-prefix"));
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, yaml), env::get);

    List<String> lines = result.problems().stream().map(ConfigProblem::format).toList();
    assertThat(lines).hasSizeGreaterThan(10);
    assertThat(lines).noneMatch(line -> line.contains(MARK));
    assertThat(result.problems().toString()).doesNotContain(MARK);
    // The references themselves are shown, so the user can still find the culprit.
    assertThat(lines).anyMatch(line -> line.contains("routes[0].allow[0]: \"${env:NETWORK}\" is not a CIDR"));
    assertThat(lines).anyMatch(line -> line.contains("routes[1].match[0]: \"${env:PREFIX}\" does not start with /"));
    assertThat(lines).anyMatch(line -> line.contains("routes[2].name: \"${env:NAME}\" is already used"));
  }

  @Test
  void yamlSyntaxErrorsDoNotQuoteTheOffendingLine() throws Exception {
    Path file = TestFiles.write(dir.resolve("broken.yaml"), """
        sso:
          client_secret: "LEAK-secret-in-a-broken-file
          cookie_secret: x
        """);
    Path tabbed = TestFiles.write(dir.resolve("tabbed.yaml"), "sso:\n\tclient_secret: LEAK-tabbed-secret\n");
    Path colon = TestFiles.write(dir.resolve("colon.yaml"), "sso:\n  client_secret: LEAK: secret: value\n");

    for (Path f : List.of(file, tabbed, colon)) {
      LoadResult result = ConfigLoader.load(f, name -> null);
      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.message()).startsWith("YAML syntax: ");
        assertThat(p.format()).doesNotContain(MARK);
      });
    }
  }

  @Test
  void loadedConfigToStringNeverShowsSecrets() throws Exception {
    TestFiles.write(dir.resolve("cookie"), "LEAK-file-cookie-secret-0123456789abcdef\n");
    String yaml = """
        sso:
          issuer: "https://idp.example.com"
          client_id: "gatehouse"
          client_secret: "LEAK-literal-client-secret"
          cookie_secret: "${file:cookie}"
        webhooks:
          - path: "/webhook/a"
            scheme: "stripe"
            secrets: ["${env:HOOK}", "LEAK-literal-webhook-secret"]
        redis:
          url: "${env:REDIS_URL}"
        replay:
          store: "redis"
          redis: "rediss://gatehouse:LEAK-replay-url-password@127.0.0.1:6380"
        rate_limits:
          store: "redis"
        routes:
          - name: "webhooks"
            match: ["/webhook/"]
            upstream: "main"
            allow: ["0.0.0.0/0"]
            signature: "required"
          - name: "editor"
            match: ["/"]
            upstream: "main"
            allow: ["127.0.0.0/8"]
            auth: "sso"
        """;
    LoadResult result = ConfigLoader.load(TestFiles.minimalConfig(dir, yaml),
        Map.of("HOOK", "LEAK-env-webhook-secret-0123", "REDIS_URL", "rediss://:LEAK-url-password@redis.internal")::get);

    GatehouseConfig config = result.config().orElseThrow();
    assertThat(config.sso().orElseThrow().clientSecret().value()).isEqualTo("LEAK-literal-client-secret");
    assertThat(config.toString()).doesNotContain(MARK).contains("Secret[***]").contains("RedisConfig[rediss://");
    assertThat(result.problems()).extracting(ConfigProblem::format).noneMatch(line -> line.contains(MARK));
  }
}
