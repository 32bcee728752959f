package io.gatehouse.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML mapping, checked for unknown and duplicate keys when it is opened. SnakeYAML's composer keeps
 * duplicates (only its constructor would complain, and only about the first), so they are found here, each at its
 * own position.
 */
final class MappingReader {
  private final MappingNode node;
  private final String path;
  private final ProblemCollector problems;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  /** @param allowed the keys that may appear here, in the order to list them; null for free-form names */
  MappingReader(MappingNode node, String path, ProblemCollector problems, List<String> allowed) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    Set<String> allowedSet = allowed == null ? null : Set.copyOf(allowed);
    for (NodeTuple tuple : node.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (keyNode.getTag().equals(Tag.MERGE)) {
        problems.error(keyNode, path(path, "<<"), "merge keys are not supported; write the keys out");
        continue;
      }
      if (!(keyNode instanceof ScalarNode scalar) || keyNode.getTag().equals(Tag.NULL)) {
        problems.error(keyNode, path, "a key must be a plain name");
        continue;
      }
      String key = scalar.getValue();
      NodeTuple first = entries.get(key);
      if (first != null) {
        problems.error(keyNode, path(path, key),
            "duplicate key (first at line " + (first.getKeyNode().getStartMark().getLine() + 1) + ")");
      } else if (allowedSet != null && !allowedSet.contains(key)) {
        problems.error(keyNode, path(path, key), unknownKeyMessage(key, allowed));
      } else {
        entries.put(key, tuple);
      }
    }
  }

  static String path(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  MappingNode node() {
    return node;
  }

  String path() {
    return path;
  }

  /** The path of one of this mapping's keys, e.g. {@code server.tls.cert}. */
  String pathOf(String key) {
    return path(path, key);
  }

  /** The keys present, in file order (null values included). */
  List<String> keys() {
    return List.copyOf(entries.keySet());
  }

  /** The key's value, or null when the key is absent or its value is YAML null ({@code key:}, {@code ~}, {@code null}). */
  Node get(String key) {
    NodeTuple tuple = entries.get(key);
    if (tuple == null || tuple.getValueNode().getTag().equals(Tag.NULL)) return null;
    return tuple.getValueNode();
  }

  /** The key node itself, for problems about the key rather than its value; null when absent. */
  Node keyNode(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? null : tuple.getKeyNode();
  }

  /** Like {@link #get}, but a missing or empty value is an error, reported at this mapping or at the key. */
  Node require(String key, String example) {
    Node value = get(key);
    if (value == null) {
      Node at = entries.containsKey(key) ? keyNode(key) : node;
      String what = entries.containsKey(key) ? "has no value" : "is missing";
      problems.error(at, pathOf(key), what + " (required" + (example == null ? "" : ", e.g. " + example) + ")");
    }
    return value;
  }

  private static String unknownKeyMessage(String key, List<String> allowed) {
    String suggestion = "";
    int best = 3;
    for (String candidate : allowed) {
      // A typo is a small edit away; a shortened key such as "revalidate" is a prefix of the real one.
      int d = candidate.startsWith(key) && key.length() >= 4 ? 1 : distance(key, candidate);
      if (d < best) {
        best = d;
        suggestion = "; did you mean \"" + candidate + "\"?";
      }
    }
    return "unknown key" + suggestion + " (allowed here: " + String.join(", ", allowed) + ")";
  }

  /** Levenshtein distance, for "did you mean" on typos such as {@code upstreem}. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
