package io.gatehouse.it;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample out of a Prometheus text scrape, whatever order the labels are written in. */
public final class MetricsText {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private MetricsText() {}

  /**
   * The value of the sample named {@code name} carrying at least the labels in {@code labels}; 0 when there is
   * none (a counter that never counted).
   */
  public static double value(String scrape, String name, Map<String, String> labels) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith("#")) continue;
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.find() || !sample.group(1).equals(name)) continue;
      Map<String, String> found = new java.util.HashMap<>();
      if (sample.group(3) != null) {
        Matcher label = LABEL.matcher(sample.group(3));
        while (label.find()) found.put(label.group(1), label.group(2));
      }
      if (found.entrySet().containsAll(labels.entrySet())) return Double.parseDouble(sample.group(4));
    }
    return 0;
  }

  /** The value of an unlabelled sample. */
  public static double value(String scrape, String name) {
    return value(scrape, name, Map.of());
  }
}
