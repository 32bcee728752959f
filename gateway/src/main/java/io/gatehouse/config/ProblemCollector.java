package io.gatehouse.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Gathers every problem of one load, so the user sees them all at once rather than one per run. */
final class ProblemCollector {
  private final String file;
  private final List<ConfigProblem> problems = new ArrayList<>();

  ProblemCollector(String file) {
    this.file = file;
  }

  void error(Node node, String path, String message) {
    add(node.getStartMark(), Severity.ERROR, path, message);
  }

  void warning(Node node, String path, String message) {
    add(node.getStartMark(), Severity.WARNING, path, message);
  }

  /** SnakeYAML counts lines and columns from 0; editors and compilers count from 1. */
  void add(Mark mark, Severity severity, String path, String message) {
    int line = mark == null ? 0 : mark.getLine() + 1;
    int column = mark == null ? 0 : mark.getColumn() + 1;
    problems.add(new ConfigProblem(file, line, column, severity, path, message));
  }

  boolean hasErrors() {
    return problems.stream().anyMatch(ConfigProblem::isError);
  }

  /** In file order; problems at the same position keep the order they were found in. */
  List<ConfigProblem> sorted() {
    List<ConfigProblem> out = new ArrayList<>(problems);
    out.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
    return List.copyOf(out);
  }
}
