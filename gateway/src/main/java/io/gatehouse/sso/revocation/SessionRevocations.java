package io.gatehouse.sso.revocation;

import io.gatehouse.sso.session.Session;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Objects;

/**
 * Sessions ended before their cookie says: a logout (the cookie may have been copied), a back-channel logout of the
 * IdP session, or every session of a person. Every request is checked against this replica's memory only; a
 * revocation is recorded there at once and shared with the other replicas through {@link RevocationSharing} (Redis
 * with {@code revocations: redis}), whose messages land in the same memory.
 *
 * <p>Outlives config reloads (a logout must not be forgotten); a reload may change how long entries are kept and how
 * they are shared.
 */
public final class SessionRevocations {
  private final RevokedSet memory;
  /** Replaced by a reload that changes {@code revocations} or the Redis; read from every event loop. */
  private volatile RevocationSharing sharing;

  public SessionRevocations(Duration keepFor) {
    this.memory = new RevokedSet(keepFor);
    this.sharing = RevocationSharing.LOCAL;
  }

  /** Where revocations the other replicas publish are recorded. */
  public void received(Revocation revocation) {
    memory.add(revocation);
  }

  /** @return the sharing it replaces, for the caller to close */
  public RevocationSharing shareThrough(RevocationSharing next) {
    RevocationSharing previous = sharing;
    sharing = Objects.requireNonNull(next, "next");
    return previous;
  }

  public void keepFor(Duration keepFor) {
    memory.keepFor(keepFor);
  }

  public boolean isRevoked(Session session) {
    return memory.covers(session);
  }

  /**
   * Revokes here at once; the future says whether every replica was told. When it fails, the other replicas still
   * end the session at its next revalidation, since the IdP refuses an ended session's refresh.
   */
  public Future<Void> revoke(Revocation revocation) {
    memory.add(revocation);
    return sharing.share(revocation);
  }

  /** See {@link RevocationSharing#beginRevalidation}; what it learns is recorded here before it is returned. */
  public Future<RevocationSharing.Revalidation> beginRevalidation(Session session, Duration hold) {
    return sharing.beginRevalidation(session, hold).onSuccess(r -> r.known().forEach(memory::add));
  }
}
