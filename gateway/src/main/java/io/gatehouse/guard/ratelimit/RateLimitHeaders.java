package io.gatehouse.guard.ratelimit;

import io.gatehouse.core.ResponseHeaders;

/**
 * The fields of a 429 {@code rate_limited} answer: {@code Retry-After} (the real wait for the next token, in whole
 * seconds rounded up) and draft-ietf-httpapi-ratelimit-headers' {@code RateLimit-Policy} ({@code q}: the bucket's
 * size; {@code w}: the seconds it takes to refill from empty) and {@code RateLimit} ({@code r}: tokens left;
 * {@code t}: seconds until the bucket is full again), both in structured-field syntax.
 *
 * <p>Only refusals carry them: on every allowed answer they would cost the request path and change n8n's responses
 * for callers that never come near the limit.
 */
final class RateLimitHeaders {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private RateLimitHeaders() {}

  /** {@code "client_ip";q=40;w=2}: the same for every answer of the policy. */
  static String policy(LimitPolicy policy) {
    return quoted(policy.name()) + ";q=" + policy.burst() + ";w=" + seconds(policy.nanosToFill());
  }

  static ResponseHeaders refusal(Decision decision, String policyField) {
    return ResponseHeaders.of("Retry-After", Long.toString(seconds(decision.nanosToRetry())))
        .and("RateLimit-Policy", policyField)
        .and("RateLimit", quoted(decision.policy().name()) + ";r=" + Math.max(0, decision.remaining()) + ";t="
            + seconds(decision.nanosToFull()));
  }

  /** Whole seconds, rounded up, at least 1: a client told 0 would come back at once. */
  static long seconds(long nanos) {
    if (nanos <= 0) return 1;
    return Math.max(1, nanos / NANOS_PER_SECOND + (nanos % NANOS_PER_SECOND == 0 ? 0 : 1));
  }

  /** An RFC 8941 string: the names here are token characters, but quotes and backslashes are escaped anyway. */
  private static String quoted(String name) {
    return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
