package io.gatehouse.audit;

import io.gatehouse.audit.canonical.CanonicalFields;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An entry other than a request: SSO, WebSocket, config, start, stop and key events. Rare next to requests, so a
 * map of its fields is cheap enough; values are strings, whole numbers, booleans, lists of strings or nested maps,
 * and null values are left out.
 */
public record LogEvent(String kind, Instant time, Map<String, Object> fields) implements AuditEvent {
  public LogEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(time, "time");
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
    fields.forEach((k, v) -> {
      if (v != null) copy.put(k, v);
    });
    fields = Collections.unmodifiableMap(copy);
  }

  /** An event of {@code kind} now-ish, with alternating names and values ({@code "event", "login", "subject", s}). */
  public static LogEvent of(String kind, Instant time, Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("names and values come in pairs");
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
    return new LogEvent(kind, time, fields);
  }

  /** A {@code config} entry of a load or an applied reload; a refused reload leaves the previous config in force. */
  @Override
  public Optional<String> configInForce() {
    boolean applied = "load".equals(fields.get("event")) || "reload".equals(fields.get("event"));
    return "config".equals(kind) && applied && fields.get("sha256") instanceof String sha256
        ? Optional.of(sha256) : Optional.empty();
  }

  @Override
  public void writeFields(CanonicalFields out) {
    fields.forEach(out::putValue);
  }
}
