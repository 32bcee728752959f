package io.gatehouse.core;

/**
 * Why a request was refused (or {@link #NONE} when it was not). The stable snake_case {@link #code()} is what
 * clients, the audit log and metrics see; details never go to the client. The statuses are fixed by CONTRACT.md.
 */
public enum Reason {
  NONE(200, "none"),
  BAD_REQUEST(400, "bad_request"),
  REQUEST_TIMEOUT(408, "request_timeout"),
  UNAUTHENTICATED(401, "unauthenticated"),
  SIGNATURE_MISSING(401, "signature_missing"),
  SIGNATURE_INVALID(401, "signature_invalid"),
  TIMESTAMP_OUT_OF_TOLERANCE(401, "timestamp_out_of_tolerance"),
  SOURCE_NOT_ALLOWED(403, "source_not_allowed"),
  FORBIDDEN(403, "forbidden"),
  /** n8n's own password login on a route where people sign in through the IdP. */
  SSO_REQUIRED(403, "sso_required"),
  ROUTE_DENIED(403, "route_denied"),
  NO_ROUTE(404, "no_route"),
  REPLAYED(409, "replayed"),
  BODY_TOO_LARGE(413, "body_too_large"),
  HEADERS_TOO_LARGE(431, "headers_too_large"),
  RATE_LIMITED(429, "rate_limited"),
  /** Too many failed authentications from this source or for this identity, recently. */
  LOCKED_OUT(429, "locked_out"),
  GUARD_ERROR(500, "guard_error"),
  UPSTREAM_UNAVAILABLE(502, "upstream_unavailable"),
  UPSTREAM_TIMEOUT(504, "upstream_timeout"),
  AUDIT_UNAVAILABLE(503, "audit_unavailable"),
  OVERLOADED(503, "overloaded"),
  /** The shared store (Redis) cannot be reached and what was asked needs it. */
  STORE_UNAVAILABLE(503, "store_unavailable"),
  /** A login cannot start or finish, or a token cannot be checked, because the IdP does not answer. */
  IDP_UNAVAILABLE(503, "idp_unavailable"),
  /**
   * Never sent: the client went away before its answer (mid-body, or while n8n was working). Recorded with status 499,
   * nginx's convention for the same event, so it is not mistaken for a guard failure or an upstream error.
   */
  CLIENT_CLOSED(499, "client_closed");

  private final int status;
  private final String code;

  Reason(int status, String code) {
    this.status = status;
    this.code = code;
  }

  /** The HTTP status the gateway answers with. */
  public int status() {
    return status;
  }

  /** The stable name shown to clients and written to logs and metrics. */
  public String code() {
    return code;
  }
}
