package io.gatehouse.guard.replay;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Remembers webhook deliveries for a while so a second delivery of the same one can be refused. Keys are already
 * hashed by {@link ReplayKeys}, so no sender data is stored in clear. Shared by every event loop.
 */
public interface ReplayStore {
  /**
   * Records {@code key} for {@code ttl} if it is not recorded yet. Never blocks. Completes with true the first
   * time, false when the key was recorded less than its ttl ago; fails when the store cannot be reached.
   */
  Future<Boolean> firstSeen(String key, Duration ttl);

  /**
   * Drops {@code key}, for a delivery that was recorded but never reached n8n (no upstream target accepted a
   * connection), so the sender's retry is not refused as a replay. Best effort.
   */
  Future<Void> forget(String key);

  /** The label for metrics and logs: {@code local} or {@code redis}. */
  String name();

  /** Releases connections; the store is not used afterwards. */
  Future<Void> close();
}
