package io.gatehouse.http;

/** The client closed its connection or reset its HTTP/2 stream before the request's body had all arrived. */
public final class ClientGoneException extends RuntimeException {
  public ClientGoneException(String message) {
    super(message, null, false, false);
  }
}
