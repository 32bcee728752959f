package io.gatehouse.sso.revocation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.sso.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * This replica's memory of ended sessions, read on every request (a few hash lookups, nothing shared). Sessions live
 * in cookies, so an ended one is remembered until it would have expired anyway ({@code max_lifetime}).
 *
 * <p>Bounded: past {@link #MAX_ENTRIES} of a kind the oldest are dropped, and their sessions then last until their
 * next revalidation at most (the IdP refuses a logged-out session's refresh).
 */
final class RevokedSet {
  static final long MAX_ENTRIES = 100_000;

  private final Cache<String, Boolean> sessions;
  private final Cache<String, Boolean> idpSessions;
  private final Cache<String, Instant> subjects;

  RevokedSet(Duration keepFor) {
    this.sessions = cache(keepFor);
    this.idpSessions = cache(keepFor);
    this.subjects = cache(keepFor);
  }

  private static <V> Cache<String, V> cache(Duration keepFor) {
    return Caffeine.newBuilder().expireAfterWrite(keepFor).maximumSize(MAX_ENTRIES).executor(Runnable::run).build();
  }

  /** A reload changed {@code max_lifetime}: entries are kept that long from when they were written. */
  void keepFor(Duration keepFor) {
    for (Cache<String, ?> cache : List.of(sessions, idpSessions, subjects)) {
      cache.policy().expireAfterWrite().ifPresent(expiry -> expiry.setExpiresAfter(keepFor));
    }
  }

  boolean covers(Session session) {
    if (sessions.getIfPresent(session.id()) != null) return true;
    if (session.idpSid() != null && idpSessions.getIfPresent(session.idpSid()) != null) return true;
    Instant before = subjects.getIfPresent(session.subject());
    return before != null && !session.createdAt().isAfter(before);
  }

  void add(Revocation revocation) {
    switch (revocation.kind()) {
      case SESSION -> sessions.put(revocation.value(), Boolean.TRUE);
      case IDP_SESSION -> idpSessions.put(revocation.value(), Boolean.TRUE);
      case SUBJECT -> subjects.asMap().merge(revocation.value(), revocation.at(), (a, b) -> a.isAfter(b) ? a : b);
    }
  }
}
