package io.gatehouse.audit.log;

/** The audit log cannot be opened as it stands; the message says what was found and what to do. */
public final class AuditLogException extends Exception {
  public AuditLogException(String message) {
    super(message);
  }

  public AuditLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
