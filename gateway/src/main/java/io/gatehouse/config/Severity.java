package io.gatehouse.config;

import java.util.Locale;

/** How bad a {@link ConfigProblem} is: an error stops the gateway from starting, a warning does not. */
public enum Severity {
  ERROR,
  WARNING;

  /** {@code error} or {@code warning}, as printed by {@code check}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
