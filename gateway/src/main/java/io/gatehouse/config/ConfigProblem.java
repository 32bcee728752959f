package io.gatehouse.config;

/**
 * One finding about a config file, with the position of the YAML node it is about.
 *
 * <p>Messages never contain a secret value: secrets are described by their key and length only, and a value
 * that came from {@code ${env:…}} or {@code ${file:…}} is shown as that reference, not as what it resolved to.
 *
 * @param file the config file as it was given to the loader
 * @param line 1-based; 0 when the problem has no position (the file could not be read)
 * @param column 1-based; 0 when the problem has no position
 * @param path the field path such as {@code routes[2].allow[0]}; empty for problems about the file as a whole
 * @param message what is wrong and, where it helps, what was expected
 */
public record ConfigProblem(String file, int line, int column, Severity severity, String path, String message) {

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code gatehouse.yaml:14:9: error: routes[2].allow[0]: "10.0/8" is not a CIDR (…)}, as {@code check} prints it. */
  public String format() {
    StringBuilder out = new StringBuilder(file);
    if (line > 0) out.append(':').append(line).append(':').append(column);
    out.append(": ").append(severity.label()).append(": ");
    if (!path.isEmpty()) out.append(path).append(": ");
    return out.append(message).toString();
  }
}
