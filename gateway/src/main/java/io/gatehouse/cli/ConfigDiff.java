package io.gatehouse.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The key paths that differ between two config files ({@code routes[2].allow}, {@code sso.session.idle_timeout}),
 * for the audit log's {@code config} entries: auditors see what changed without the entry holding any value, so a
 * secret written literally in the file never reaches the log.
 */
final class ConfigDiff {
  /** Past this many paths the list ends with {@code …}: a rewrite of the whole file says so well enough. */
  static final int MAX_PATHS = 200;

  private ConfigDiff() {}

  /** The differing paths, sorted; {@code (file)} alone when either text is not YAML a gateway could have loaded. */
  static List<String> changedPaths(String before, String after) {
    Object a;
    Object b;
    try {
      Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
      a = yaml.load(before);
      b = yaml.load(after);
    } catch (RuntimeException e) {
      return List.of("(file)");
    }
    TreeSet<String> paths = new TreeSet<>();
    diff("", a, b, paths);
    List<String> out = new ArrayList<>(paths);
    if (out.size() > MAX_PATHS) {
      out = new ArrayList<>(out.subList(0, MAX_PATHS));
      out.add("…");
    }
    return out;
  }

  private static void diff(String path, Object a, Object b, TreeSet<String> out) {
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      TreeSet<String> keys = new TreeSet<>();
      ma.keySet().forEach(k -> keys.add(String.valueOf(k)));
      mb.keySet().forEach(k -> keys.add(String.valueOf(k)));
      for (String key : keys) diff(path.isEmpty() ? key : path + "." + key, get(ma, key), get(mb, key), out);
    } else if (a instanceof List<?> la && b instanceof List<?> lb) {
      for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
        diff(path + "[" + i + "]", i < la.size() ? la.get(i) : null, i < lb.size() ? lb.get(i) : null, out);
      }
    } else if (!Objects.equals(a, b)) {
      out.add(path.isEmpty() ? "(file)" : path);
    }
  }

  private static Object get(Map<?, ?> map, String key) {
    for (Map.Entry<?, ?> e : map.entrySet()) if (String.valueOf(e.getKey()).equals(key)) return e.getValue();
    return null;
  }
}
