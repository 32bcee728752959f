package io.gatehouse.admin;

import java.util.Locale;

/** How a call to an upstream failed; an enum so the {@code kind} metric label can only take these values. */
public enum UpstreamErrorKind {
  /** The TCP connection could not be established (refused, unreachable, connect timeout). */
  CONNECT,
  /** The upstream accepted the request but did not answer in time. */
  TIMEOUT,
  /** The connection broke after it was established. */
  RESET,
  /**
   * Every pooled connection to the pool's targets was busy for too long (or too many requests were already waiting):
   * n8n is saturated, not down, so no target is ejected for it.
   */
  POOL_WAIT;

  /** The label value: {@code connect}, {@code timeout}, {@code reset} or {@code pool_wait}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
