package io.gatehouse.audit.scrub.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The shipped public-domain name lists (US Census 1990 first names and surnames; see {@code names/README.md} beside
 * the data), as one {@link WordTable}. Immutable; loaded once per JVM on first use (about 50 ms), since every
 * scrubber shares the same lists.
 */
public final class NameLists {
  static final int FIRST = 1;
  static final int LAST = 2;
  /** Also an ordinary English word ("grace", "long"): a name only with more evidence. */
  static final int WORD = 4;

  private static final String DIR = "/io/gatehouse/audit/scrub/names/";

  private final WordTable table;

  private NameLists(WordTable table) {
    this.table = table;
  }

  /** The lists shipped in the jar. */
  public static NameLists shipped() {
    return Holder.SHIPPED;
  }

  /** The flags ({@link #FIRST}, {@link #LAST}, {@link #WORD}) of the word at [from, to), 0 if it is none. */
  int flags(char[] s, int from, int to) {
    return table.get(s, from, to);
  }

  /** {@link #flags(char[], int, int)} of a word whose {@link WordTable#key} the caller has. */
  int flags(char[] s, int from, int to, long key) {
    return table.get(s, from, to, key);
  }

  private static final class Holder {
    static final NameLists SHIPPED = load();
  }

  private static NameLists load() {
    Map<String, Integer> words = new HashMap<>(200_000);
    read("census-1990-first.txt.gz", true, line -> words.merge(line, FIRST, (a, b) -> a | b));
    read("census-1990-last.txt.gz", true, line -> words.merge(line, LAST, (a, b) -> a | b));
    read("common-words.txt", false, line -> words.computeIfPresent(line, (k, v) -> v | WORD));
    return new NameLists(new WordTable(words));
  }

  private static void read(String name, boolean gzip, java.util.function.Consumer<String> sink) {
    try (InputStream raw = NameLists.class.getResourceAsStream(DIR + name)) {
      if (raw == null) throw new IllegalStateException("missing resource " + DIR + name);
      InputStream in = gzip ? new GZIPInputStream(raw) : raw;
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isEmpty()) sink.accept(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
