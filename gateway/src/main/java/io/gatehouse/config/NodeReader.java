package io.gatehouse.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads typed values out of YAML nodes. Every method reports what is wrong to the {@link ProblemCollector} at the
 * node's position and returns null, so a caller can go on and find the next problem instead of stopping.
 */
final class NodeReader {
  private final ProblemCollector problems;
  private final Interpolator interpolator;
  private final Path baseDir;

  NodeReader(ProblemCollector problems, Interpolator interpolator, Path baseDir) {
    this.problems = problems;
    this.interpolator = interpolator;
    this.baseDir = baseDir;
  }

  ProblemCollector problems() {
    return problems;
  }

  /**
   * A scalar after {@code ${…}} replacement. {@code raw} is what the file says.
   */
  record Scalar(Node node, String value, String raw, boolean fromReference) {
    /**
     * Parsers quote the value in their messages; a value that came from a reference is shown as the reference
     * instead, since the environment or file behind it may hold something that must not be printed.
     */
    String shown(String message) {
      return fromReference ? message.replace("\"" + value + "\"", "\"" + raw + "\"") : message;
    }

    @Override public String toString() {
      return "Scalar[" + raw + "]";
    }
  }

  MappingReader mapping(Node node, String path, List<String> allowed) {
    if (!(node instanceof MappingNode mapping)) {
      problems.error(node, path, "expected a mapping (key: value pairs), found " + describe(node));
      return null;
    }
    return new MappingReader(mapping, path, problems, allowed);
  }

  List<Node> sequence(Node node, String path) {
    if (!(node instanceof SequenceNode seq)) {
      problems.error(node, path, "expected a list, found " + describe(node));
      return null;
    }
    return seq.getValue();
  }

  Scalar scalar(Node node, String path) {
    if (!(node instanceof ScalarNode scalar)) {
      problems.error(node, path, "expected a single value, found " + describe(node));
      return null;
    }
    if (scalar.getTag().equals(Tag.NULL)) {
      problems.error(node, path, "has no value");
      return null;
    }
    try {
      Interpolator.Resolved r = interpolator.resolve(scalar.getValue());
      return new Scalar(node, r.value(), scalar.getValue(), r.fromReference());
    } catch (IllegalArgumentException e) {
      problems.error(node, path, e.getMessage());
      return null;
    }
  }

  /** A non-empty string. */
  String string(Node node, String path) {
    Scalar s = text(node, path);
    return s == null ? null : s.value();
  }

  /** A non-empty string, as a {@link Scalar} for callers that quote it in a message (through {@code shown}). */
  Scalar text(Node node, String path) {
    Scalar s = scalar(node, path);
    if (s == null) return null;
    if (s.value().isBlank()) {
      problems.error(node, path, "is empty");
      return null;
    }
    return s;
  }

  /** One of a fixed set of words, compared exactly. */
  String oneOf(Node node, String path, List<String> allowed) {
    Scalar s = scalar(node, path);
    if (s == null) return null;
    if (!allowed.contains(s.value())) {
      problems.error(node, path, s.shown("\"" + s.value() + "\" is not one of: " + String.join(", ", allowed)));
      return null;
    }
    return s.value();
  }

  Boolean bool(Node node, String path) {
    String word = oneOf(node, path, List.of("true", "false"));
    return word == null ? null : word.equals("true");
  }

  Long positiveInteger(Node node, String path) {
    return parse(node, path, text -> {
      long n;
      try {
        n = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"" + text + "\" is not a whole number (expected e.g. 40)");
      }
      if (n <= 0) throw new IllegalArgumentException("\"" + text + "\" is not positive (expected e.g. 40)");
      return n;
    });
  }

  Duration duration(Node node, String path) {
    return parse(node, path, ValueParser::parseDuration);
  }

  Long size(Node node, String path) {
    return parse(node, path, ValueParser::parseSize);
  }

  Rate rate(Node node, String path) {
    return parse(node, path, ValueParser::parseRate);
  }

  HostPort hostPort(Node node, String path) {
    return parse(node, path, ValueParser::parseHostPort);
  }

  Cidr cidr(Node node, String path) {
    return parse(node, path, Cidr::parse);
  }

  URI httpUrl(Node node, String path, boolean originOnly) {
    return parse(node, path, text -> ValueParser.parseHttpUrl(text, originOnly));
  }

  /** A file name, resolved against the config file's directory when relative. Existence is checked elsewhere. */
  Path file(Node node, String path) {
    String text = string(node, path);
    return text == null ? null : baseDir.resolve(text).normalize();
  }

  /** Each element read by {@code element}; invalid elements are reported and left out. */
  <T> List<T> list(Node node, String path, ValueReader<T> element) {
    List<Node> items = sequence(node, path);
    List<T> out = new ArrayList<>();
    if (items == null) return out;
    for (int i = 0; i < items.size(); i++) {
      T value = element.read(items.get(i), path + "[" + i + "]");
      if (value != null) out.add(value);
    }
    return out;
  }

  /**
   * A secret. A literal one is a warning: the YAML file then is a secret too, and ends up in backups and
   * repositories. One shorter than {@code minBytes} is an error. Messages give its length, never its value.
   */
  Secret secret(Node node, String path, int minBytes) {
    Scalar s = scalar(node, path);
    if (s == null) return null;
    if (!s.fromReference()) {
      problems.warning(node, path, "is a literal secret in the file; use ${env:NAME} or ${file:PATH} instead");
    }
    int length = s.value().getBytes(StandardCharsets.UTF_8).length;
    if (length < minBytes) {
      problems.error(node, path, "secret is too short: " + length + " bytes, at least " + minBytes
          + " needed (e.g. openssl rand -base64 " + Math.max(32, minBytes) + ")");
      return null;
    }
    return new Secret(s.value(), s.fromReference());
  }

  /** Reads one value; returns null after reporting a problem. */
  @FunctionalInterface
  interface ValueReader<T> {
    T read(Node node, String path);
  }

  /** The value of an optional key, or {@code fallback} when the key is absent or null. */
  <T> T optional(MappingReader m, String key, T fallback, ValueReader<T> reader) {
    Node node = m.get(key);
    return node == null ? fallback : reader.read(node, m.pathOf(key));
  }

  /** The value of a required key; its absence is reported. */
  <T> T required(MappingReader m, String key, String example, ValueReader<T> reader) {
    Node node = m.require(key, example);
    return node == null ? null : reader.read(node, m.pathOf(key));
  }

  private <T> T parse(Node node, String path, Function<String, T> parser) {
    Scalar s = scalar(node, path);
    if (s == null) return null;
    try {
      return parser.apply(s.value());
    } catch (IllegalArgumentException e) {
      problems.error(node, path, s.shown(e.getMessage()));
      return null;
    }
  }

  private static String describe(Node node) {
    if (node instanceof MappingNode) return "a mapping";
    if (node instanceof SequenceNode) return "a list";
    if (node.getTag().equals(Tag.NULL)) return "nothing";
    return "a single value";
  }
}
