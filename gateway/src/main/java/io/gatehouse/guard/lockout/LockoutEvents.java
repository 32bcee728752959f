package io.gatehouse.guard.lockout;

/** What the lockout reports, for the metrics. Called on event loops and cache threads: cheap and thread-safe. */
public interface LockoutEvents {
  LockoutEvents NONE = new LockoutEvents() {};

  /** A lockout began here, of a {@code source} or an {@code identity}. */
  default void lockoutStarted(String kind) {}

  /** The shared store could not count a failure (it is counted here alone meanwhile). */
  default void lockoutStoreError() {}

  /** Reports the sources and identities locked out now, read at each scrape. */
  default void lockedOut(java.util.function.LongSupplier held) {}
}
