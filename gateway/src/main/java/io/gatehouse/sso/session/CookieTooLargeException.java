package io.gatehouse.sso.session;

/**
 * A cookie value would be longer than a browser keeps with its name and attributes (about 4 KB). Says how long,
 * never what it held.
 */
public final class CookieTooLargeException extends RuntimeException {
  private final int length;

  public CookieTooLargeException(int length, int limit) {
    super("cookie value of " + length + " bytes is over the " + limit + "-byte limit");
    this.length = length;
  }

  public int length() {
    return length;
  }
}
