package io.gatehouse.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Header lines a guard adds to the client's response: {@code WWW-Authenticate}, {@code Retry-After}, a redirect's
 * {@code Location}, {@code Set-Cookie} (which may repeat, hence lines rather than a map). Immutable; {@link #and}
 * returns a longer copy.
 */
public final class ResponseHeaders {
  /** One header line. */
  public record Line(String name, String value) {}

  public static final ResponseHeaders NONE = new ResponseHeaders(List.of());

  private final List<Line> lines;

  private ResponseHeaders(List<Line> lines) {
    this.lines = lines;
  }

  public static ResponseHeaders of(String name, String value) {
    return NONE.and(name, value);
  }

  /** These lines and one more. */
  public ResponseHeaders and(String name, String value) {
    List<Line> more = new ArrayList<>(lines.size() + 1);
    more.addAll(lines);
    more.add(new Line(name, value));
    return new ResponseHeaders(List.copyOf(more));
  }

  /** These lines followed by {@code others}'. */
  public ResponseHeaders and(ResponseHeaders others) {
    if (others.lines.isEmpty()) return this;
    if (lines.isEmpty()) return others;
    List<Line> more = new ArrayList<>(lines);
    more.addAll(others.lines);
    return new ResponseHeaders(List.copyOf(more));
  }

  public boolean isEmpty() {
    return lines.isEmpty();
  }

  /** The first value of {@code name} (case-insensitive), or null. */
  public String first(String name) {
    for (Line line : lines) if (line.name().equalsIgnoreCase(name)) return line.value();
    return null;
  }

  public List<Line> lines() {
    return lines;
  }

  /** Adds every line, in order, through {@code add} (e.g. a response's {@code headers()::add}). */
  public void addTo(BiConsumer<String, String> add) {
    for (Line line : lines) add.accept(line.name(), line.value());
  }

  @Override public String toString() {
    // Names only: values may be cookies.
    return "ResponseHeaders" + lines.stream().map(Line::name).toList();
  }
}
