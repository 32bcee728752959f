package io.gatehouse.core;

import java.time.Duration;

/**
 * The one time limit on an exchange's current phase: reading a body that must be read whole, waiting for n8n's
 * response head, a body streaming either way, a tunnel. Whoever owns the phase starts the deadline with the action to
 * take when it runs out; a streaming phase reports {@link #progress()} so the limit bounds a stall, not the whole
 * transfer.
 *
 * <p>There is no timer here: the connection checks its exchanges' deadlines with one lazily re-armed timer of its own
 * ({@link Watch}), so starting a phase or reporting progress only writes a field. A timer set and cancelled per
 * request cost about 3% of the event loops' time. Confined to the exchange's event loop.
 */
public final class Deadline {
  /** Told of a deadline that may fall before the connection next looks, so it can look in time. */
  public interface Watch {
    void dueBy(long nanoTime);
  }

  /** For exchanges outside any connection watch (tests): deadlines are recorded but nobody looks. */
  public static final Watch UNWATCHED = at -> { };

  private static final long NO_LIMIT = -1;

  private final Watch watch;
  private long since;
  private long limitNanos = NO_LIMIT;
  private Runnable onExpiry;

  public Deadline(Watch watch) {
    this.watch = watch;
  }

  /** The phase starts now and may last (or, with {@link #progress()}, stall) {@code limit}; then {@code onExpiry} runs once. */
  public void start(Duration limit, Runnable onExpiry) {
    this.since = System.nanoTime();
    this.limitNanos = limit.toNanos();
    this.onExpiry = onExpiry;
    watch.dueBy(since + limitNanos);
  }

  /** Bytes moved: the stall limit counts from now. Later only, so the watch needs no word of it. */
  public void progress() {
    since = System.nanoTime();
  }

  /** The phase ended in time. */
  public void clear() {
    limitNanos = NO_LIMIT;
    onExpiry = null;
  }

  public boolean active() {
    return limitNanos != NO_LIMIT;
  }

  /** The {@link System#nanoTime()} at which it runs out; only meaningful while {@link #active()}. */
  public long dueAt() {
    return since + limitNanos;
  }

  /** Runs the expiry action if the deadline has passed at {@code now}; true if it did. */
  public boolean expireIfDue(long now) {
    if (limitNanos == NO_LIMIT || now - (since + limitNanos) < 0) return false;
    Runnable action = onExpiry;
    clear();
    action.run();
    return true;
  }
}
