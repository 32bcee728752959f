package io.gatehouse.config;

import java.nio.charset.StandardCharsets;

/**
 * A secret value from the config. {@link #toString()} never shows it, so it cannot leak through a log line,
 * an exception message or {@code check} output by accident.
 *
 * @param fromReference true when it came from {@code ${env:…}} or {@code ${file:…}} rather than a literal in the YAML
 */
public record Secret(String value, boolean fromReference) {
  public byte[] bytes() {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override public String toString() {
    return "Secret[***]";
  }
}
