package io.gatehouse.sso.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.sso.session.Session;
import java.time.Duration;
import java.time.Instant;

/**
 * Sessions ended before their cookie says: a logout (the cookie may have been copied), a back-channel logout of the
 * IdP session, or every session of a person. Sessions live in cookies, so an ended one is remembered here until it
 * would have expired anyway ({@code max_lifetime}). In memory, per replica ({@code revocations: local}).
 *
 * <p>Bounded: past {@link #MAX_ENTRIES} of a kind the oldest are dropped, and their sessions then last until their
 * next revalidation at most (the IdP refuses a logged-out session's refresh).
 */
public final class SessionRevocations {
  static final long MAX_ENTRIES = 100_000;

  private final Cache<String, Boolean> sessions;
  private final Cache<String, Boolean> idpSessions;
  private final Cache<String, Instant> subjects;

  public SessionRevocations(Duration keepFor) {
    this.sessions = cache(keepFor);
    this.idpSessions = cache(keepFor);
    this.subjects = cache(keepFor);
  }

  private static <V> Cache<String, V> cache(Duration keepFor) {
    return Caffeine.newBuilder().expireAfterWrite(keepFor).maximumSize(MAX_ENTRIES).executor(Runnable::run).build();
  }

  public boolean isRevoked(Session session) {
    if (sessions.getIfPresent(session.id()) != null) return true;
    if (session.idpSid() != null && idpSessions.getIfPresent(session.idpSid()) != null) return true;
    Instant before = subjects.getIfPresent(session.subject());
    return before != null && !session.createdAt().isAfter(before);
  }

  public void revokeSession(String sessionId) {
    sessions.put(sessionId, Boolean.TRUE);
  }

  /** The IdP's session {@code sid} ended (back-channel logout). */
  public void revokeIdpSession(String sid) {
    idpSessions.put(sid, Boolean.TRUE);
  }

  /** Every session of {@code subject} that started at or before {@code at}. */
  public void revokeSubject(String subject, Instant at) {
    subjects.asMap().merge(subject, at, (a, b) -> a.isAfter(b) ? a : b);
  }
}
