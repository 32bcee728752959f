package io.gatehouse.config;

import java.util.List;
import java.util.Optional;

/**
 * What {@link ConfigLoader#load} found.
 *
 * @param config present only when there is no error (warnings allowed)
 * @param problems every error and warning, in file order
 */
public record LoadResult(Optional<GatehouseConfig> config, List<ConfigProblem> problems) {

  public LoadResult {
    problems = List.copyOf(problems);
  }

  public boolean hasErrors() {
    return problems.stream().anyMatch(ConfigProblem::isError);
  }

  public boolean hasWarnings() {
    return problems.stream().anyMatch(p -> p.severity() == Severity.WARNING);
  }
}
