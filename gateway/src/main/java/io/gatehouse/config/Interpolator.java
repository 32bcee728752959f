package io.gatehouse.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${env:NAME}} and {@code ${file:PATH}} in a scalar, so secrets need not be written into the YAML.
 * A reference may be the whole value or part of it; {@code $${} stands for a literal {@code ${}.
 *
 * <p>Error messages name the variable or file, never what it holds: a file meant for another key may well be a
 * secret.
 */
public final class Interpolator {
  /** Secrets and certificates are small; refusing big files keeps a typo such as {@code ${file:/dev/zero}} harmless. */
  static final int MAX_FILE_BYTES = 1 << 20;
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Function<String, String> env;
  private final Path baseDir;

  /**
   * @param env environment lookup ({@code System::getenv} in production); returns null for an unset variable
   * @param baseDir relative {@code ${file:…}} paths resolve against it (the config file's directory)
   */
  Interpolator(Function<String, String> env, Path baseDir) {
    this.env = env;
    this.baseDir = baseDir;
  }

  /**
   * {@code raw} with its references replaced, relative paths against the working directory: for command-line
   * values, so a secret can be given as {@code ${file:…}} or {@code ${env:…}} instead of on the command line, where
   * any local user can read it in the process list.
   *
   * @throws IllegalArgumentException naming every reference that could not be resolved (never a value)
   */
  public static String resolveCommandLineValue(String raw, Function<String, String> env) {
    return new Interpolator(env, Path.of("")).resolve(raw).value();
  }

  /** The value after replacement, and whether any reference was replaced. */
  record Resolved(String value, boolean fromReference) {
    @Override public String toString() {
      return "Resolved[***]";
    }
  }

  /**
   * @throws IllegalArgumentException naming every reference that could not be resolved (never a value)
   */
  Resolved resolve(String raw) {
    if (!raw.contains("${")) return new Resolved(raw, false);
    StringBuilder out = new StringBuilder();
    List<String> errors = new ArrayList<>();
    boolean referenced = false;
    int i = 0;
    while (i < raw.length()) {
      if (raw.startsWith("$${", i)) {
        out.append("${");
        i += 3;
        continue;
      }
      if (!raw.startsWith("${", i)) {
        out.append(raw.charAt(i++));
        continue;
      }
      int end = raw.indexOf('}', i);
      if (end < 0) {
        errors.add("unterminated reference \"" + raw.substring(i) + "\" (expected ${env:NAME} or ${file:PATH})");
        break;
      }
      String ref = raw.substring(i, end + 1);
      String body = raw.substring(i + 2, end);
      referenced = true;
      try {
        out.append(lookUp(ref, body));
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
      i = end + 1;
    }
    if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("; ", errors));
    return new Resolved(out.toString(), referenced);
  }

  private String lookUp(String ref, String body) {
    if (body.startsWith("env:")) {
      String name = body.substring(4);
      if (!ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(ref + ": \"" + name + "\" is not an environment variable name");
      }
      String value = env.apply(name);
      if (value == null) throw new IllegalArgumentException(ref + " is not set in the environment");
      if (value.isEmpty()) throw new IllegalArgumentException(ref + " is empty in the environment");
      return value;
    }
    if (body.startsWith("file:")) {
      String name = body.substring(5);
      if (name.isEmpty()) throw new IllegalArgumentException(ref + ": no file name");
      return readFile(ref, baseDir.resolve(name));
    }
    throw new IllegalArgumentException("unknown reference \"" + ref + "\" (expected ${env:NAME} or ${file:PATH})");
  }

  private static String readFile(String ref, Path file) {
    if (Files.isDirectory(file)) throw new IllegalArgumentException(ref + " cannot be read: " + file + " is a directory");
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(ref + " cannot be read: " + file + " does not exist");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(ref + " cannot be read: " + file + " is not readable (permission denied)");
    } catch (IOException e) {
      throw new IllegalArgumentException(ref + " cannot be read: " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IllegalArgumentException(ref + " cannot be read: " + file + " is larger than 1 MiB");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(ref + " cannot be read: " + file + " is not UTF-8 text");
    }
    // Editors and `echo` add one final newline that is never part of the secret; anything else is kept as is.
    if (text.endsWith("\r\n")) return text.substring(0, text.length() - 2);
    if (text.endsWith("\n")) return text.substring(0, text.length() - 1);
    return text;
  }
}
