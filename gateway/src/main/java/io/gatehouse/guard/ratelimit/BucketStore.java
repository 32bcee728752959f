package io.gatehouse.guard.ratelimit;

import io.vertx.core.Future;
import java.util.List;

/** Where token buckets live: this replica's memory, or Redis shared by every replica. Shared by every event loop. */
public interface BucketStore {
  /**
   * Takes one token from each of {@code policies}' buckets for the matching {@code keys}, all or none. Never
   * blocks. Fails when the store cannot be reached.
   */
  Future<Decision> take(List<LimitPolicy> policies, List<String> keys);

  /** {@code local} or {@code redis}, for metrics and logs. */
  String name();

  /** Buckets held now (an estimate), for the keys-held gauge. */
  long size();

  /** Releases connections; the store is not used afterwards. */
  Future<Void> close();
}
