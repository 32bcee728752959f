package io.gatehouse.audit.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One log entry as the report reads it: the fields every entry has, parsed once, and its own fields by name. The
 * log's values are attacker-influenced (paths, e-mails): they are kept as text here and escaped by each renderer.
 */
record Entry(JsonNode node, long seq, String kind, Instant time, LocalDate day, String replica) {

  /** Empty for a line without a readable {@code time}: it cannot be placed in a period. */
  static Optional<Entry> of(JsonNode node) {
    Instant time;
    try {
      time = Instant.parse(node.path("time").asText(""));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
    return Optional.of(new Entry(node, node.path("seq").asLong(-1), node.path("kind").asText(""), time,
        Period.dayOf(time), textOf(node.get("replica"))));
  }

  /** The field as text; null when absent. Objects and arrays come back as their JSON. */
  String text(String field) {
    return textOf(node.get(field));
  }

  boolean has(String field) {
    return node.hasNonNull(field);
  }

  /** A list of strings (e.g. {@code changed}); empty when absent. */
  List<String> texts(String field) {
    JsonNode value = node.get(field);
    List<String> out = new ArrayList<>();
    if (value != null && value.isArray()) value.forEach(v -> out.add(textOf(v)));
    return out;
  }

  /** A whole-number field; null when absent or not a number. */
  Long number(String field) {
    JsonNode value = node.get(field);
    return value != null && value.isIntegralNumber() ? value.asLong() : null;
  }

  private static String textOf(JsonNode value) {
    if (value == null || value.isNull()) return null;
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
