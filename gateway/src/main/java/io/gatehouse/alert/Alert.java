package io.gatehouse.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One anomaly a detector found. Immutable: it is handed from the detector thread to the audit writer and the webhook
 * sender as it is.
 *
 * @param time when the exchange that completed the pattern arrived
 * @param route the route it was on; null when the rule spans routes and none applies, or no route matched
 * @param source the client network it came from ({@code 203.0.113.7}, {@code 2001:db8:1:2::/64},
 *     {@code 198.51.100.0/24}); null when the rule has none
 * @param subject the person or client concerned; null when the rule has none
 * @param detail a short sentence for the human reading the alert
 * @param count what was counted (failures, refusals in the minute, networks or days known); null when nothing was
 * @param threshold the count the rule alerts at; null when the rule has no number
 */
public record Alert(AlertType type, Instant time, String route, String source, String subject, String detail,
    Long count, Long threshold) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Alert {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * The fields of the audit entry and of the POSTed JSON, in that order, absent values left out.
   *
   * @param id names this alert in both places, so a receiver can find its audit entry and drop a retried copy
   */
  public Map<String, Object> fields(String id) {
    Map<String, Object> fields = new LinkedHashMap<>();
    put(fields, "id", id);
    put(fields, "type", type.code());
    put(fields, "route", route);
    put(fields, "source", source);
    put(fields, "subject", subject);
    put(fields, "detail", detail);
    put(fields, "count", count);
    put(fields, "threshold", threshold);
    return fields;
  }

  /** The POSTed body: {@link #fields} and the time, as JSON. */
  public String json(String id) {
    Map<String, Object> fields = fields(id);
    fields.put("time", time.toString());
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("strings and numbers always serialize", e);
    }
  }

  private static void put(Map<String, Object> fields, String name, Object value) {
    if (value != null) fields.put(name, value);
  }
}
