package io.gatehouse.core;

/**
 * A route's {@code log_payloads}: which bodies the audit log may hold, scrubbed ({@code io.gatehouse.audit.scrub}).
 * Off unless a route asks; {@code true} in the config means the request (CONTRACT.md), {@code false} none.
 */
public enum PayloadCapture {
  OFF(false, false),
  REQUEST(true, false),
  RESPONSE(false, true),
  BOTH(true, true);

  private final boolean request;
  private final boolean response;

  PayloadCapture(boolean request, boolean response) {
    this.request = request;
    this.response = response;
  }

  public boolean request() {
    return request;
  }

  public boolean response() {
    return response;
  }

  /**
   * The value of {@code log_payloads}: {@code none}, {@code request}, {@code response}, {@code both}, or
   * {@code true} (request) and {@code false} (none).
   */
  public static PayloadCapture of(String word) {
    return switch (word) {
      case "false", "none" -> OFF;
      case "both" -> BOTH;
      case "true", "request" -> REQUEST;
      case "response" -> RESPONSE;
      default -> throw new IllegalArgumentException("log_payloads: " + word);
    };
  }
}
