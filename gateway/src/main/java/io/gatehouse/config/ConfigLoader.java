package io.gatehouse.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and validates a Gatehouse YAML file. The YAML is only <em>composed</em> into a node tree (no object
 * construction, so no tags can instantiate classes), and the tree is walked by hand so every problem carries the
 * line and column of the node it is about. All problems are collected in one pass.
 *
 * <p>Loading has no side effects beyond reading the files the config names (certificates, keys,
 * {@code ${file:…}} references): directories are not created and nothing is bound.
 */
public final class ConfigLoader {
  /** A config file is a few kilobytes; this only stops an accidental multi-gigabyte read. */
  private static final int MAX_FILE_BYTES = 4 << 20;

  private ConfigLoader() {}

  /** Loads with the process environment. */
  public static LoadResult load(Path file) {
    return load(file, System::getenv);
  }

  /**
   * @param file the YAML file; relative paths inside it resolve against its directory, and problems name it as
   *     given here
   * @param env environment lookup for {@code ${env:NAME}}, returning null when unset ({@code System::getenv})
   */
  public static LoadResult load(Path file, Function<String, String> env) {
    ProblemCollector problems = new ProblemCollector(file.toString());
    String text = readText(file, problems);
    if (text == null) return new LoadResult(Optional.empty(), problems.sorted());

    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      problems.add(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark(), Severity.ERROR, "",
          syntaxMessage(e));
      return new LoadResult(Optional.empty(), problems.sorted());
    } catch (YAMLException e) {
      problems.add(null, Severity.ERROR, "", "YAML error: " + e.getMessage());
      return new LoadResult(Optional.empty(), problems.sorted());
    }
    if (root == null) {
      problems.add(new Mark("", 0, 0, 0, new int[0], 0), Severity.ERROR, "",
          "the file is empty (expected the server, upstreams, routes and audit sections)");
      return new LoadResult(Optional.empty(), problems.sorted());
    }

    Path baseDir = file.toAbsolutePath().normalize().getParent();
    NodeReader nodes = new NodeReader(problems, new Interpolator(env, baseDir), baseDir);
    GatehouseConfig config = new ConfigReader(nodes, file).read(root);
    Optional<GatehouseConfig> result = problems.hasErrors() ? Optional.empty() : Optional.ofNullable(config);
    return new LoadResult(result, problems.sorted());
  }

  private static String readText(Path file, ProblemCollector problems) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        problems.add(null, Severity.ERROR, "", "the file is larger than 4 MiB; is it the right file?");
        return null;
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      problems.add(null, Severity.ERROR, "", "the file does not exist");
      return null;
    } catch (IOException e) {
      problems.add(null, Severity.ERROR, "", "cannot read the file (" + e.getClass().getSimpleName() + ")");
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      problems.add(null, Severity.ERROR, "", "the file is not UTF-8 text");
      return null;
    }
  }

  /**
   * SnakeYAML's own message repeats the offending line as a snippet; only its short problem and context phrases
   * are kept, because that line may hold a secret.
   */
  private static String syntaxMessage(MarkedYAMLException e) {
    StringBuilder out = new StringBuilder("YAML syntax: ").append(e.getProblem());
    Mark context = e.getContextMark();
    if (e.getContext() != null && context != null) {
      out.append(" (").append(e.getContext()).append(" at line ").append(context.getLine() + 1).append(')');
    }
    return out.toString();
  }
}
