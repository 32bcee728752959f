package io.gatehouse.guard.signature;

import io.gatehouse.core.Reason;
import io.gatehouse.guard.signature.SignatureScheme.Start;

/**
 * Why a delivery's signature headers cannot be verified. Thrown by the header parsers and turned into
 * {@link Start.Refused} by each scheme's {@code begin}, so parsing reads straight through instead of checking a
 * result after every step. The detail names the check that failed, never a secret or a byte position. No stack
 * trace: it is ordinary control flow for hostile input.
 */
final class SignatureRefusal extends Exception {
  private static final long serialVersionUID = 1L;

  private final Reason reason;

  private SignatureRefusal(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  /** The signature header itself is absent: the only case a route with {@code signature: optional} lets through. */
  static SignatureRefusal missing(String detail) {
    return new SignatureRefusal(Reason.SIGNATURE_MISSING, detail);
  }

  static SignatureRefusal invalid(String detail) {
    return new SignatureRefusal(Reason.SIGNATURE_INVALID, detail);
  }

  static SignatureRefusal outOfTolerance(String detail) {
    return new SignatureRefusal(Reason.TIMESTAMP_OUT_OF_TOLERANCE, detail);
  }

  Start.Refused toStart() {
    return new Start.Refused(reason, getMessage());
  }
}
