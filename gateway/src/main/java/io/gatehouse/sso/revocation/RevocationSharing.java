package io.gatehouse.sso.revocation;

import io.gatehouse.sso.session.Session;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * How replicas tell each other about ended sessions, and agree which of them revalidates a session
 * ({@code sso.session.revocations}). {@link #LOCAL} is one replica on its own.
 */
public interface RevocationSharing {

  /** What the shared store said when a revalidation was due. */
  record Revalidation(boolean claimed, List<Revocation> known) {
    public Revalidation {
      known = List.copyOf(known);
    }

    /** Nothing shared: this replica revalidates, and knows of nothing beyond its memory. */
    public static final Revalidation ON_OUR_OWN = new Revalidation(true, List.of());
  }

  /** Tells every other replica; completes once the shared store holds it. */
  Future<Void> share(Revocation revocation);

  /**
   * A revalidation of {@code session} is due here: claims it for {@code hold} unless another replica already has
   * (then {@code claimed} is false and that replica's refresh stands for both), and returns what the shared store
   * knows of the session's revocation (a message this replica missed while it was cut off). Fails when the store
   * cannot be asked; the caller then revalidates on its own.
   */
  Future<Revalidation> beginRevalidation(Session session, Duration hold);

  Future<Void> close();

  RevocationSharing LOCAL = new RevocationSharing() {
    @Override public Future<Void> share(Revocation revocation) { return Future.succeededFuture(); }

    @Override public Future<Revalidation> beginRevalidation(Session session, Duration hold) {
      return Future.succeededFuture(Revalidation.ON_OUR_OWN);
    }

    @Override public Future<Void> close() { return Future.succeededFuture(); }
  };
}
