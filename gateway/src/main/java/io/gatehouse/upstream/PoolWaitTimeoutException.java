package io.gatehouse.upstream;

/**
 * No pooled connection became free in time, or too many requests were already waiting for one. The target is
 * healthy, only saturated: callers answer 503 {@code overloaded} and must not eject it.
 */
public final class PoolWaitTimeoutException extends RuntimeException {
  public PoolWaitTimeoutException(String detail) {
    super(detail, null, false, false);
  }
}
