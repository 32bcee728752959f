package io.gatehouse.guard.ratelimit;

/** What rate limiting reports, for the metrics. Called on event loops and store threads: cheap and thread-safe. */
public interface RateLimitEvents {
  RateLimitEvents NONE = new RateLimitEvents() {};

  /**
   * The counters of one route's bucket of key type {@code keyType}, looked up once when the route is built: a
   * label lookup per request would cost more than the check.
   */
  default Checks checks(String route, String keyType) {
    return Checks.NONE;
  }

  /** Requests a bucket let through, and those it refused 429. */
  interface Checks {
    Checks NONE = new Checks() {
      @Override public void allowed() {}

      @Override public void limited() {}
    };

    void allowed();

    void limited();
  }

  /** The store could not answer; {@code policy} is what the route did: {@code allow} or {@code deny}. */
  default void storeError(String store, String route, String policy) {}

  /** A bucket dropped by the local store's count bound before it was full again. */
  default void bucketEvictedEarly() {}

  /** Reports the buckets held, read at each scrape. */
  default void bucketsHeld(java.util.function.LongSupplier buckets) {}
}
