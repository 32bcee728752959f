package io.gatehouse.tls;

/**
 * A certificate, key or trust bundle that cannot be used. The message names the file and what is wrong with
 * it, so an operator can fix it; it never contains key material.
 */
public final class TlsMaterialException extends Exception {
  private static final long serialVersionUID = 1L;

  public TlsMaterialException(String message) {
    super(message);
  }

  public TlsMaterialException(String message, Throwable cause) {
    super(message, cause);
  }
}
