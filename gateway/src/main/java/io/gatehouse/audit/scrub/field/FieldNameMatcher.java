package io.gatehouse.audit.scrub.field;

import io.gatehouse.audit.scrub.PhiType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides from a field's name what happens to its value: an operator key ({@code audit.scrub.keys}) is always
 * redacted, even inside an allowed field; an allow key ({@code audit.scrub.allow_keys}) is kept as sent; a built-in
 * PHI name ({@link BuiltInFieldNames}) is redacted; anything else is scanned. Names compare after
 * {@link FieldName} normalisation. A key with dots ({@code patient.member_id}) names a path: it matches a field
 * whose enclosing fields end with those segments.
 *
 * <p>Thread-safe and shared by every body a {@code Scrubber} handles. Verdicts for names without a path key are
 * cached by the raw name (Jackson hands the same canonical string for a repeated name), at most
 * {@value #CACHE_LIMIT} of them, so a body with random keys cannot grow it; past that a name is normalised each time.
 */
public final class FieldNameMatcher {
  static final int CACHE_LIMIT = 4096;

  private final Set<String> keys = new HashSet<>();
  private final List<List<String>> pathKeys = new ArrayList<>();
  private final Set<String> allowKeys = new HashSet<>();
  private final List<List<String>> allowPaths = new ArrayList<>();
  private final Set<String> pathLastSegments = new HashSet<>();
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

  /** A name's verdict and whether a path key could change it. */
  private record Entry(FieldVerdict verdict, boolean pathDependent) {}

  public FieldNameMatcher(Collection<String> keys, Collection<String> allowKeys) {
    add(keys, this.keys, pathKeys);
    add(allowKeys, this.allowKeys, allowPaths);
  }

  private void add(Collection<String> raw, Set<String> names, List<List<String>> paths) {
    for (String key : raw) {
      FieldName name = FieldName.of(key);
      if (name.segments().isEmpty()) continue;
      if (name.segments().size() == 1) {
        names.add(name.joined());
      } else {
        paths.add(name.segments());
        pathLastSegments.add(name.joined());
      }
    }
  }

  /** The verdict for a field named {@code name} at the top level (or wherever no path key applies). */
  public FieldVerdict classify(String name) {
    return classify(name, List.of());
  }

  /**
   * The verdict for a field named {@code name} inside the fields {@code parents} (outermost first, raw names as
   * sent), which only path keys look at.
   */
  public FieldVerdict classify(String name, List<String> parents) {
    Entry entry = cache.get(name);
    if (entry == null) {
      entry = compute(name);
      if (cache.size() < CACHE_LIMIT) cache.putIfAbsent(name, entry);
    }
    if (!entry.pathDependent || parents.isEmpty() && FieldName.of(name).segments().size() < 2) {
      return entry.verdict;
    }
    List<String> path = path(name, parents);
    if (matchesAny(pathKeys, path)) return FieldVerdict.redact(PhiType.KEY);
    if (entry.verdict.redacts() && entry.verdict.type() == PhiType.KEY) return entry.verdict;
    if (matchesAny(allowPaths, path)) return FieldVerdict.ALLOW;
    return entry.verdict;
  }

  /** Whether {@code name} is an operator key, so it is redacted even inside a field kept as sent. */
  public boolean isKey(String name, List<String> parents) {
    FieldVerdict verdict = classify(name, parents);
    return verdict.redacts() && verdict.type() == PhiType.KEY;
  }

  private Entry compute(String raw) {
    FieldName name = FieldName.of(raw);
    boolean pathDependent = pathLastSegments.contains(name.joined());
    if (keys.contains(name.joined())) return new Entry(FieldVerdict.redact(PhiType.KEY), false);
    if (pathDependent && name.segments().size() > 1 && matchesAny(pathKeys, name.segments())) {
      return new Entry(FieldVerdict.redact(PhiType.KEY), false);
    }
    if (allowKeys.contains(name.joined())) return new Entry(FieldVerdict.ALLOW, pathDependent);
    PhiType type = BuiltInFieldNames.typeOf(name);
    FieldVerdict verdict = type != null ? FieldVerdict.redact(type) : FieldVerdict.scan(BuiltInFieldNames.cuesOf(name));
    return new Entry(verdict, pathDependent);
  }

  private static List<String> path(String name, List<String> parents) {
    List<String> path = new ArrayList<>(parents.size() + 2);
    for (String parent : parents) path.addAll(FieldName.of(parent).segments());
    path.addAll(FieldName.of(name).segments());
    return path;
  }

  private static boolean matchesAny(List<List<String>> keys, List<String> path) {
    for (List<String> key : keys) {
      int k = key.size();
      int p = path.size();
      if (k > p) continue;
      boolean match = true;
      for (int i = 1; i <= k && match; i++) match = key.get(k - i).equals(path.get(p - i));
      if (match) return true;
    }
    return false;
  }
}
