package io.gatehouse.guard.lockout;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * The sources and identities locked out on this replica, each until its ban ends. Read on every request of a route
 * that authenticates, so a check is one cache lookup; bans end on time (Caffeine's scheduler), and the end is
 * reported so the audit log can say when access came back. Bounded: a flood of failures from rotating sources
 * cannot grow it past {@link #MAX_BANS}; the oldest-looking ban is dropped first.
 */
final class BanList {
  static final int MAX_BANS = 100_000;

  private final Cache<String, Instant> bans;
  private final Clock clock;

  /** @param ended told of each ban that ran out, with its key and when it ended */
  BanList(Clock clock, BiConsumer<String, Instant> ended) {
    this.clock = clock;
    this.bans = Caffeine.newBuilder()
        .maximumSize(MAX_BANS)
        .expireAfter(Expiry.creating((String key, Instant until) -> remaining(until)))
        .scheduler(Scheduler.systemScheduler())
        // Maintenance on the caller, as the bucket store does (LocalBucketStore says why); ends of bans still come on
        // time, from the scheduler's thread.
        .executor(Runnable::run)
        .removalListener((String key, Instant until, RemovalCause cause) -> {
          if (key != null && cause == RemovalCause.EXPIRED) ended.accept(key, until);
        })
        .build();
  }

  /** Locks {@code key} out until {@code until}; false when it already was (then the later end is kept). */
  boolean ban(String key, Instant until) {
    boolean[] added = {false};
    bans.asMap().compute(key, (k, current) -> {
      if (current == null) {
        added[0] = true;
        return until;
      }
      return current.isAfter(until) ? current : until;
    });
    return added[0];
  }

  /** How long {@code key} stays locked out; zero or negative when it is not. */
  Duration remaining(String key) {
    Instant until = bans.getIfPresent(key);
    return until == null ? Duration.ZERO : remaining(until);
  }

  private Duration remaining(Instant until) {
    return Duration.between(clock.instant(), until);
  }

  long size() {
    return bans.estimatedSize();
  }

  void clear() {
    bans.invalidateAll();
  }
}
