package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpolatorTest {
  @TempDir Path dir;

  private Interpolator interpolator(Map<String, String> env) {
    return new Interpolator(env::get, dir);
  }

  @Test
  void leavesPlainValuesAloneAndMarksThemLiteral() {
    Interpolator.Resolved r = interpolator(Map.of()).resolve("plain value");
    assertThat(r.value()).isEqualTo("plain value");
    assertThat(r.fromReference()).isFalse();
  }

  @Test
  void replacesWholeAndEmbeddedEnvironmentReferences() {
    Interpolator i = interpolator(Map.of("HOST", "n8n.example.com", "PORT", "8443"));
    assertThat(i.resolve("${env:HOST}")).isEqualTo(new Interpolator.Resolved("n8n.example.com", true));
    assertThat(i.resolve("https://${env:HOST}:${env:PORT}/").value()).isEqualTo("https://n8n.example.com:8443/");
  }

  @Test
  void readsFilesRelativeToTheConfigDirectoryAndTrimsOneTrailingNewline() throws Exception {
    Files.writeString(dir.resolve("secret"), "s3cr3t-value\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("crlf"), "value\r\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("two"), "value\n\n", StandardCharsets.UTF_8);
    Interpolator i = interpolator(Map.of());
    assertThat(i.resolve("${file:secret}")).isEqualTo(new Interpolator.Resolved("s3cr3t-value", true));
    assertThat(i.resolve("${file:" + dir.resolve("secret") + "}").value()).isEqualTo("s3cr3t-value");
    assertThat(i.resolve("${file:crlf}").value()).isEqualTo("value");
    assertThat(i.resolve("${file:two}").value()).isEqualTo("value\n");
  }

  @Test
  void doubleDollarEscapesAReference() {
    Interpolator.Resolved r = interpolator(Map.of()).resolve("cost: $${env:X}");
    assertThat(r.value()).isEqualTo("cost: ${env:X}");
    assertThat(r.fromReference()).isFalse();
  }

  @Test
  void namesAMissingVariableWithoutShowingAnyValue() {
    assertThatThrownBy(() -> interpolator(Map.of("OTHER", "other-secret")).resolve("${env:OIDC_SECRET}"))
        .hasMessage("${env:OIDC_SECRET} is not set in the environment");
    assertThatThrownBy(() -> interpolator(Map.of("EMPTY", "")).resolve("${env:EMPTY}"))
        .hasMessage("${env:EMPTY} is empty in the environment");
  }

  @Test
  void namesAMissingOrUnreadableFile() throws Exception {
    assertThatThrownBy(() -> interpolator(Map.of()).resolve("${file:nope.txt}"))
        .hasMessage("${file:nope.txt} cannot be read: " + dir.resolve("nope.txt") + " does not exist");
    Files.createDirectory(dir.resolve("sub"));
    assertThatThrownBy(() -> interpolator(Map.of()).resolve("${file:sub}")).hasMessageContaining("is a directory");
    Files.write(dir.resolve("bin"), new byte[] {(byte) 0xff, (byte) 0xfe});
    assertThatThrownBy(() -> interpolator(Map.of()).resolve("${file:bin}")).hasMessageContaining("not UTF-8");
  }

  @Test
  void reportsEveryBadReferenceInOneValue() {
    assertThatThrownBy(() -> interpolator(Map.of()).resolve("${env:A}-${vault:b}-${env:bad name}"))
        .hasMessage("${env:A} is not set in the environment; unknown reference \"${vault:b}\" (expected"
            + " ${env:NAME} or ${file:PATH}); ${env:bad name}: \"bad name\" is not an environment variable name");
    assertThatThrownBy(() -> interpolator(Map.of()).resolve("x${env:A")).hasMessageContaining("unterminated");
  }

  @Test
  void resolvedValueNeverShowsInToString() {
    assertThat(interpolator(Map.of("K", "topsecret")).resolve("${env:K}").toString()).doesNotContain("topsecret");
  }
}
