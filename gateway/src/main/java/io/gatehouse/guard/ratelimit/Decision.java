package io.gatehouse.guard.ratelimit;

/**
 * What a bucket store decided for one request against a route's policies checked together.
 *
 * @param allowed whether every bucket had a token (then one was taken from each)
 * @param policy the bucket that refused, or when allowed the one with the fewest tokens left
 * @param remaining tokens left in {@code policy}'s bucket after this request
 * @param nanosToRetry when refused, how long until {@code policy}'s bucket has a token again; 0 when allowed
 * @param nanosToFull how long until {@code policy}'s bucket is full again
 */
public record Decision(boolean allowed, LimitPolicy policy, long remaining, long nanosToRetry, long nanosToFull) {}
