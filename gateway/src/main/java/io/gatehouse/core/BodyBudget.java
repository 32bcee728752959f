package io.gatehouse.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide allowance for request bodies held in memory (bodies a guard must read whole before forwarding:
 * signed webhooks). Bytes are taken as they arrive, never from a declared length: an attacker who declares 16 MiB and
 * sends one byte holds one byte. Past the allowance a request is refused with 503 {@code overloaded} instead of the
 * heap running out, which with the production flags (-Xmx128m) took four such connections.
 */
public final class BodyBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  public BodyBudget(long limitBytes) {
    if (limitBytes <= 0) throw new IllegalArgumentException("limit must be positive");
    this.limit = limitBytes;
  }

  /**
   * A quarter of the maximum heap: with the production flags, 32 MiB of bodies besides what the rest of the gateway
   * needs (about 10 MiB live at rest, plus the replay store's up to 60 MiB).
   */
  public static long defaultLimit() {
    return Runtime.getRuntime().maxMemory() / 4;
  }

  public long limit() { return limit; }

  /** Bytes held now, over all requests. */
  public long used() { return used.get(); }

  /** A new, empty share for one request. */
  public Reservation reservation() {
    return new Reservation();
  }

  /** One request's share; confined to the request's event loop, while the total it draws on is shared. */
  public final class Reservation {
    private long held;

    private Reservation() {}

    /** Takes {@code bytes} more; false, with nothing taken, when that would pass the allowance. */
    public boolean take(long bytes) {
      if (used.addAndGet(bytes) > limit) {
        used.addAndGet(-bytes);
        return false;
      }
      held += bytes;
      return true;
    }

    /** Gives back everything held; safe to call more than once. */
    public void release() {
      if (held == 0) return;
      used.addAndGet(-held);
      held = 0;
    }
  }
}
