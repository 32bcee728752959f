package io.gatehouse.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.GuardChain;
import io.gatehouse.core.PayloadCapture;
import io.gatehouse.core.Route;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class PathNormalizerTest {

  /** Marks a row whose target must be refused. */
  private static final String REJECTED = "<rejected>";

  /** One row of the table: raw target, expected path (or REJECTED), expected raw query (null: no '?'). */
  private record Row(String target, String path, String query) {}

  private static Row arguments(String target, String path, String query) {
    return new Row(target, path, query);
  }

  // A @TestFactory rather than @ParameterizedTest: the build resolves junit-platform-commons 1.9.3 (through
  // vertx-junit5) next to junit-jupiter-params 5.12, and @MethodSource fails with NoSuchMethodError.
  static Stream<Row> table() {
    return Stream.of(
        // --- plain paths pass through unchanged
        arguments("/", "/", null),
        arguments("/rest/login", "/rest/login", null),
        arguments("/rest/", "/rest/", null),
        arguments("/api/v1/workflows?limit=10", "/api/v1/workflows", "limit=10"),
        arguments("/a?", "/a", ""),
        // --- bypass attempts against a "/webhook-test/" deny rule
        arguments("/webhook-test/..%2f", REJECTED, null),
        arguments("/webhook-test/..%2F", REJECTED, null),
        arguments("/webhook-test/x%2fy", REJECTED, null),
        arguments("//rest", "/rest", null),
        arguments("///webhook-test///x", "/webhook-test/x", null),
        arguments("/%2e%2e/", REJECTED, null),
        arguments("/a/%2e%2e/b", "/b", null),
        arguments("/a/%2E%2e/b", "/b", null),
        arguments("/a/.%2e/b", "/b", null),
        // ';' path parameters: Tomcat and Spring strip "..;" or ";x" before routing, so refused, raw or encoded
        arguments("/rest;x", REJECTED, null),
        arguments("/a/..;/b", REJECTED, null),
        arguments("/webhook/..;/webhook-test/x", REJECTED, null),
        arguments("/rest/x;jsessionid=1", REJECTED, null),
        arguments("/rest/a%3Bb", REJECTED, null),
        arguments("/rest/a%3bb", REJECTED, null),
        arguments("/rest/workflows?x=a;b", "/rest/workflows", "x=a;b"),
        arguments("/rest/workflows?x=a%3Bb", "/rest/workflows", "x=a%3Bb"),
        arguments("/WEBHOOK-TEST/x", "/WEBHOOK-TEST/x", null),
        // Safe because the route is chosen on the *normalized* path: the gateway sees "/webhook-test/x" (denied),
        // never "/webhook/..." (allowed), and forwards the same string, so n8n cannot resolve it differently.
        arguments("/webhook/%2e%2e/webhook-test/x", "/webhook-test/x", null),
        arguments("/webhook/../webhook-test/x", "/webhook-test/x", null),
        // --- percent-encoding: unreserved decoded, the rest kept with upper-case hex, never decoded twice
        arguments("/a/%252e", "/a/%252e", null),
        arguments("/a/%252E%252E/b", "/a/%252E%252E/b", null),
        arguments("/a%3Fb", "/a%3Fb", null),
        arguments("/a%3fb", "/a%3Fb", null),
        arguments("/a%23b", "/a%23b", null),
        arguments("/a?b=%2F", "/a", "b=%2F"),
        arguments("/a?b=%zz&c=..%2f", "/a", "b=%zz&c=..%2f"),
        arguments("/%61dmin", "/admin", null),
        arguments("/%7Euser/%2D%5F", "/~user/-_", null),
        arguments("/a%C3%A9", "/a%C3%A9", null),
        arguments("/a%c3%a9", "/a%C3%A9", null),
        arguments("/a%20b", "/a%20b", null),
        arguments("/a%25", "/a%25", null),
        arguments("/a%zz", REJECTED, null),
        arguments("/a%2", REJECTED, null),
        arguments("/a%", REJECTED, null),
        arguments("/a%2?x=1", REJECTED, null),
        arguments("/a%\u0661\u0661", REJECTED, null), // Arabic-Indic digits are digits to Character.digit
        // --- dot segments
        arguments("/a/./b", "/a/b", null),
        arguments("/a/b/..", "/a/", null),
        arguments("/a/b/../", "/a/", null),
        arguments("/a/.", "/a/", null),
        arguments("/.", "/", null),
        arguments("/..", REJECTED, null),
        arguments("/a/../..", REJECTED, null),
        arguments("/a/b/../../c", "/c", null),
        arguments("/a/.b/..c", "/a/.b/..c", null),
        // --- a segment ending in '.' or a space is another path to Windows-backed servers: refused
        arguments("/a/...", REJECTED, null),
        arguments("/webhook/x.", REJECTED, null),
        arguments("/webhook/x%20", REJECTED, null),
        arguments("/webhook/x%2e", REJECTED, null),
        arguments("/rest/a%2E/b", REJECTED, null),
        arguments("/x./y", REJECTED, null),
        arguments("/x%20/y", REJECTED, null),
        arguments("/a/.%20", REJECTED, null),
        arguments("/a/x%2520", "/a/x%2520", null), // an encoded '%' followed by "20", not a space
        arguments("/a%20b/c", "/a%20b/c", null),
        // --- n8n editor assets keep passing
        arguments("/assets/index-abc.js", "/assets/index-abc.js", null),
        arguments("/static/x.png", "/static/x.png", null),
        arguments("/favicon.ico", "/favicon.ico", null),
        arguments("/assets/.hidden", "/assets/.hidden", null),
        // --- percent-decoded bytes must be UTF-8 in shortest form
        arguments("/a%E2%82%AC", "/a%E2%82%AC", null), // U+20AC
        arguments("/a%F0%9F%98%80", "/a%F0%9F%98%80", null), // U+1F600
        arguments("/a%F4%8F%BF%BF", "/a%F4%8F%BF%BF", null), // U+10FFFF, the last code point
        arguments("/a%ED%9F%BF", "/a%ED%9F%BF", null), // U+D7FF, just below the surrogates
        arguments("/%C0%AE%C0%AE/x", REJECTED, null), // overlong '.'
        arguments("/a%C0%AE", REJECTED, null),
        arguments("/a%C1%BF", REJECTED, null),
        arguments("/a%E0%80%AF", REJECTED, null), // overlong '/'
        arguments("/a%F0%80%80%AF", REJECTED, null), // overlong '/', four bytes
        arguments("/a%ED%A0%80", REJECTED, null), // surrogate U+D800
        arguments("/a%ED%BF%BF", REJECTED, null), // surrogate U+DFFF
        arguments("/a%F4%90%80%80", REJECTED, null), // above U+10FFFF
        arguments("/a%F5%80%80%80", REJECTED, null),
        arguments("/a%FF", REJECTED, null),
        arguments("/a%80", REJECTED, null), // continuation byte without a lead
        arguments("/a%C3", REJECTED, null), // truncated at the end
        arguments("/a%C3/b", REJECTED, null), // truncated at a segment end
        arguments("/a%C3b", REJECTED, null), // cut short by a raw ASCII byte
        arguments("/a%C3%41", REJECTED, null), // cut short by an escaped ASCII byte
        arguments("/a%E2%82", REJECTED, null),
        arguments("/a%E2%82?x=1", REJECTED, null),
        arguments("/a?x=%C0%AE", "/a", "x=%C0%AE"), // the query is n8n's to parse, byte for byte
        // --- trailing slash kept, runs collapsed
        arguments("/rest/", "/rest/", null),
        arguments("/rest//", "/rest/", null),
        arguments("/rest", "/rest", null),
        // --- forbidden octets, raw or encoded
        arguments("/a%00", REJECTED, null),
        arguments("/a%0d%0aX-Injected:1", REJECTED, null),
        arguments("/a%7F", REJECTED, null),
        arguments("/a%5Cb", REJECTED, null),
        arguments("/a%5cb", REJECTED, null),
        arguments("/a\\b", REJECTED, null),
        arguments("/a\u0000b", REJECTED, null),
        arguments("/a\tb", REJECTED, null),
        arguments("/a\u007Fb", REJECTED, null),
        arguments("/a b", REJECTED, null),
        arguments("/caf\u00e9", REJECTED, null), // one raw byte 0xE9 as Netty hands it over
        arguments("/caf\u00c3\u00a9", REJECTED, null), // raw UTF-8 bytes of "é"
        arguments("/a#frag", REJECTED, null),
        arguments("/a?b#frag", REJECTED, null),
        arguments("/a?b=1\u0000", REJECTED, null),
        arguments("/a?b=1 c", REJECTED, null),
        arguments("/a?b=\u00e9", REJECTED, null),
        // --- not origin-form
        arguments("", REJECTED, null),
        arguments("*", REJECTED, null),
        arguments("a/b", REJECTED, null),
        arguments("http://h/a", REJECTED, null));
  }

  @TestFactory
  Stream<DynamicTest> normalizesOrRefusesEachTarget() {
    return table().map(row -> DynamicTest.dynamicTest(printable(row.target()) + " -> " + row.path(), () -> {
      Normalized result = PathNormalizer.normalize(row.target());
      if (row.path().equals(REJECTED)) {
        assertThat(result).isInstanceOf(Normalized.Rejected.class);
        assertThat(((Normalized.Rejected) result).detail()).isNotBlank();
      } else {
        assertThat(result).isEqualTo(new Normalized.Ok(row.path(), row.query()));
      }
    }));
  }

  @Test
  void tableHasAtLeastFortyRows() {
    assertThat(table().count()).isGreaterThanOrEqualTo(40);
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) b.append(c < 0x20 || c > 0x7E ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    return b.toString();
  }

  @Test
  void normalizedPathIsAFixedPoint() {
    // What we forward, normalized again, must be itself: otherwise n8n could see a path we never matched.
    table().map(row -> PathNormalizer.normalize(row.target()))
        .filter(Normalized.Ok.class::isInstance)
        .map(Normalized.Ok.class::cast)
        .forEach(ok -> assertThat(PathNormalizer.normalize(ok.target())).isEqualTo(ok));
  }

  @Test
  void upperCasePathKeepsItsCaseAndStillMatchesTheLowerCaseRoute() {
    Normalized.Ok ok = (Normalized.Ok) PathNormalizer.normalize("/WEBHOOK-TEST/x");
    Route testWebhooks = new Route("test-webhooks", List.of("/webhook-test/"), new GuardChain(List.of()), new Route.Target.Refusing(), PayloadCapture.OFF, 1 << 20);
    assertThat(ok.path()).isEqualTo("/WEBHOOK-TEST/x");
    assertThat(testWebhooks.matches(ok.path())).isTrue();
  }

  @Test
  void refusesTargetsLongerThan8192Bytes() {
    String atLimit = "/" + "a".repeat(PathNormalizer.MAX_TARGET_LENGTH - 1);
    assertThat(PathNormalizer.normalize(atLimit)).isInstanceOf(Normalized.Ok.class);
    assertThat(PathNormalizer.normalize(atLimit + "a")).isInstanceOf(Normalized.Rejected.class);
  }

  @Test
  void okTargetJoinsPathAndUntouchedQuery() {
    assertThat(((Normalized.Ok) PathNormalizer.normalize("//a/./b?x=%2f&y")).target()).isEqualTo("/a/b?x=%2f&y");
    assertThat(((Normalized.Ok) PathNormalizer.normalize("/a?")).target()).isEqualTo("/a?");
  }

  @Test
  void acceptsAbsoluteFormAndReportsItsAuthoritySeparately() {
    assertThat(PathNormalizer.normalizeTarget("http://n8n.example.com:8443/rest/../api/v1/x?a=1"))
        .isEqualTo(new Normalized.Ok("/api/v1/x", "a=1"));
    assertThat(PathNormalizer.absoluteFormAuthority("HTTPS://N8n.Example.com:8443/rest")).contains("N8n.Example.com:8443");
    assertThat(PathNormalizer.normalizeTarget("https://h")).isEqualTo(new Normalized.Ok("/", null));
    assertThat(PathNormalizer.normalizeTarget("https://h?q")).isEqualTo(new Normalized.Ok("/", "q"));
    assertThat(PathNormalizer.absoluteFormAuthority("/rest")).isEmpty();
    assertThat(PathNormalizer.normalizeTarget("/a/%2e%2e/b")).isEqualTo(new Normalized.Ok("/b", null));
  }

  @Test
  void refusesMalformedAbsoluteFormAndOtherForms() {
    assertThat(PathNormalizer.normalizeTarget("http:///a")).isInstanceOf(Normalized.Rejected.class);
    assertThat(PathNormalizer.normalizeTarget("http://trusted@evil/a")).isInstanceOf(Normalized.Rejected.class);
    assertThat(PathNormalizer.normalizeTarget("http://h/a%2fb")).isInstanceOf(Normalized.Rejected.class);
    assertThat(PathNormalizer.normalizeTarget("ftp://h/a")).isInstanceOf(Normalized.Rejected.class);
    assertThat(PathNormalizer.normalizeTarget("n8n.example.com:443")).isInstanceOf(Normalized.Rejected.class);
    assertThat(PathNormalizer.normalizeTarget("*")).isInstanceOf(Normalized.Rejected.class);
    assertThat(PathNormalizer.normalizeTarget("http://h#x")).isInstanceOf(Normalized.Rejected.class);
  }
}
