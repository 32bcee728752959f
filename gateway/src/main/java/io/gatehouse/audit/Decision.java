package io.gatehouse.audit;

import io.gatehouse.core.Reason;
import java.util.Locale;

/**
 * Whether the gateway let a request through to n8n. Shared by the audit log and the metrics so both tell the
 * same story.
 */
public enum Decision {
  ALLOW,
  REFUSE;

  private final String code = name().toLowerCase(Locale.ROOT);

  /**
   * The decision behind a final {@link Reason}. Every guard passed when the reason is {@link Reason#NONE} or an
   * upstream failure: the gateway allowed the request and n8n was the one that did not answer, so those count as
   * allow (the reason still says what went wrong). So does a client that went away ({@link Reason#CLIENT_CLOSED}):
   * nothing was refused, the client stopped asking. Everything else is the gateway refusing.
   */
  public static Decision of(Reason reason) {
    return switch (reason) {
      case NONE, UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, CLIENT_CLOSED -> ALLOW;
      default -> REFUSE;
    };
  }

  /** {@code allow} or {@code refuse}, as written to the log and to metric labels. */
  public String code() {
    return code;
  }
}
