package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests: each {@code config/golden/NAME.yaml} is loaded and its formatted problems must equal
 * {@code NAME.expected} line for line (empty for a file that loads cleanly). The golden directory is shown as
 * nothing, so lines read {@code NAME.yaml:3:11: error: …} and file names in messages are relative to it.
 *
 * <p>To add a case, write the YAML, run this test, check the printed actual output by eye, and save it as the
 * {@code .expected} file.
 */
class GoldenConfigTest {
  /** The environment every golden case sees; anything else is unset. */
  static final Map<String, String> ENV = Map.of(
      "GATEHOUSE_OIDC_SECRET", "oidc-secret-from-env-0123456789",
      "GATEHOUSE_COOKIE_SECRET", "cookie-secret-from-env-0123456789abcdef0123456789",
      "CLAIMS_SECRET", "claims-secret-from-env-abcdef0123",
      "SHORT_COOKIE_SECRET", "only-twenty-bytes!!!",
      "N8N_URL", "http://127.0.0.1:5678/private-path-xyz",
      "ADMIN_NETWORK", "10.0/8");

  static Path goldenDir() throws URISyntaxException {
    return Path.of(GoldenConfigTest.class.getResource("/config/golden").toURI());
  }

  static Stream<String> cases() throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(goldenDir())) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  /**
   * One dynamic test per case. (A {@code @ParameterizedTest} would read better, but the build resolves
   * junit-jupiter-api 5.9 through vertx-junit5 next to junit-jupiter-params 5.12, and that pair does not run.)
   */
  @TestFactory
  Stream<DynamicTest> reportsExactlyTheExpectedProblems() throws Exception {
    return cases().map(name -> DynamicTest.dynamicTest(name, () -> check(name)));
  }

  private static void check(String name) throws Exception {
    Path dir = goldenDir();
    LoadResult result = ConfigLoader.load(dir.resolve(name + ".yaml"), ENV::get);
    String prefix = dir + dir.getFileSystem().getSeparator();
    List<String> actual = result.problems().stream().map(p -> p.format().replace(prefix, "")).toList();

    Path expectedFile = dir.resolve(name + ".expected");
    // -Dgolden.update=true rewrites the expectations from the actual output; review the diff before committing.
    if (Boolean.getBoolean("golden.update")) {
      Path source = Path.of("src/test/resources/config/golden", name + ".expected");
      Files.write(source, actual.isEmpty() ? List.of() : actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(expectedFile).as("missing %s.expected; actual output:%n%s", name, String.join("\n", actual)).exists();
    List<String> expected = Files.readAllLines(expectedFile, StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isEmpty())
        .toList();
    assertThat(actual).as("actual output:%n%s%n", String.join("\n", actual)).containsExactlyElementsOf(expected);
    assertThat(result.config().isPresent()).as("config present iff no error").isEqualTo(!result.hasErrors());
  }
}
