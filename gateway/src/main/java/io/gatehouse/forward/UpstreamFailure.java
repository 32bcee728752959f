package io.gatehouse.forward;

import io.gatehouse.core.Reason;

/**
 * Why forwarding ended without a complete upstream response. When {@link #responseStarted()} is false the
 * caller still owns the client response and answers with {@link #reason()}; otherwise the stream was cut.
 */
public final class UpstreamFailure extends RuntimeException {
  private final Reason reason;
  private final boolean responseStarted;

  public UpstreamFailure(Reason reason, boolean responseStarted, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
    this.responseStarted = responseStarted;
  }

  public Reason reason() { return reason; }
  public boolean responseStarted() { return responseStarted; }
}
