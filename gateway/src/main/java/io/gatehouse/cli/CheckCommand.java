package io.gatehouse.cli;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigProblem;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code check --config FILE [--strict]}: validates without starting anything. */
@Command(name = "check", description = "Validate a config file without starting anything.")
public final class CheckCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "YAML config file")
  Path config;

  @Option(names = "--strict", description = "Exit 1 when there are warnings")
  boolean strict;

  @Override public Integer call() {
    var result = ConfigLoader.load(config, System::getenv);
    for (ConfigProblem problem : result.problems()) System.out.println(problem.format());
    if (result.config().isEmpty()) return 2;
    if (strict && !result.problems().isEmpty()) return 1;
    if (result.problems().isEmpty()) System.out.println(config + ": ok");
    return 0;
  }
}
