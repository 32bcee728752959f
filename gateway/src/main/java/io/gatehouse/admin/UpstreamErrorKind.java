package io.gatehouse.admin;

import java.util.Locale;

/** How a call to an upstream failed; an enum so the {@code kind} metric label can only take these values. */
public enum UpstreamErrorKind {
  /** The TCP connection could not be established (refused, unreachable, connect timeout). */
  CONNECT,
  /** The upstream accepted the request but did not answer in time. */
  TIMEOUT,
  /** The connection broke after it was established. */
  RESET;

  /** The label value: {@code connect}, {@code timeout} or {@code reset}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
