package io.gatehouse.alert;

/** What an alert is about; its {@link #code()} is the {@code type} of the audit entry, the POST and the metric. */
public enum AlertType {
  /** Many failed authentications from one source network. */
  AUTH_FAILURES_SOURCE("auth_failures_source"),
  /** Many failed authentications, or refusals of a signed-in person, for one subject. */
  AUTH_FAILURES_USER("auth_failures_user"),
  /** A route's refusals in one minute far above its own recent minutes. */
  REFUSAL_SPIKE("refusal_spike"),
  /** A person reached the editor from a network not seen for them in the last 30 days. */
  NEW_NETWORK("new_network"),
  /** Webhook traffic in an hour of the day that had none on any of the last 14 days. */
  OFF_HOURS_WEBHOOK("off_hours_webhook");

  private final String code;

  AlertType(String code) {
    this.code = code;
  }

  /** The stable snake_case name. */
  public String code() {
    return code;
  }
}
