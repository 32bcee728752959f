package io.gatehouse.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A cheap look at the PEM files the config names, so {@code check} catches a wrong or missing file before the
 * gateway starts. It only looks for the PEM armour; the TLS and audit packages parse the contents for real. It never
 * reports file contents: a key file's bytes are secret.
 */
final class PemFileCheck {
  static final String CERTIFICATE = "-----BEGIN CERTIFICATE-----";
  static final String PRIVATE_KEY = "PRIVATE KEY-----";
  static final String PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----";
  private static final int MAX_BYTES = 1 << 20;

  private final ProblemCollector problems;

  PemFileCheck(ProblemCollector problems) {
    this.problems = problems;
  }

  /**
   * Reports at {@code node} when {@code file} is missing, unreadable or has no {@code marker}.
   *
   * @param what words for the expected content, e.g. "a PEM certificate"
   */
  void check(Node node, String path, Path file, String marker, String what) {
    if (file == null) return;
    if (Files.isDirectory(file)) {
      problems.error(node, path, file + " is a directory (expected " + what + " file)");
      return;
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES);
    } catch (NoSuchFileException e) {
      problems.error(node, path, file + " does not exist (expected " + what + " file)");
      return;
    } catch (AccessDeniedException e) {
      problems.error(node, path, file + " is not readable (permission denied)");
      return;
    } catch (IOException e) {
      problems.error(node, path, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      return;
    }
    if (!new String(bytes, StandardCharsets.ISO_8859_1).contains(marker)) {
      problems.error(node, path, file + " has no \"" + marker + "\" block (expected " + what + ")");
    }
  }
}
