package io.gatehouse.sso.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.config.SsoConfig;
import io.gatehouse.http.ClientRequest;
import io.gatehouse.sso.jwt.JwtResult;
import io.gatehouse.sso.oidc.IdTokenClaims;
import io.gatehouse.sso.oidc.OidcProvider;
import io.gatehouse.sso.oidc.TokenEndpoint;
import io.gatehouse.sso.revocation.Revocation;
import io.gatehouse.sso.revocation.RevocationSharing;
import io.gatehouse.sso.session.CookieTooLargeException;
import io.gatehouse.sso.session.Session;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a request carries a live session: the cookie opens, the session is within {@code idle_timeout} and
 * {@code max_lifetime}, it was not revoked, and, every {@code revalidate_every}, the IdP still accepts its refresh
 * token. The hot path (a session checked recently) is a cookie decryption and a few comparisons: no IdP call, an
 * already completed future.
 *
 * <p>A revalidation is one refresh grant per session at a time on this replica, however many requests of that
 * session arrive meanwhile (they share its outcome). The IdP refusing it (the user disabled or logged out there)
 * ends the session at once; the IdP not answering lets it go on until {@code idp_down_grace} past when it was due.
 */
public final class SessionCheck {
  /** lastSeen is rewritten at most this often: the idle timeout is that coarse, and most answers set no cookie. */
  static final Duration LAST_SEEN_GRANULARITY = Duration.ofSeconds(60);
  static final Duration RETRY_UNREACHABLE_AFTER = Duration.ofSeconds(5);
  static final Duration MAX_CLAIM_HOLD = Duration.ofSeconds(30);

  /** A live session, with the cookie to set when it changed (else null). */
  public record Live(Session session, String setCookie) {}

  private final SsoContext sso;
  private final Map<String, Future<Optional<Session>>> revalidating = new ConcurrentHashMap<>();
  /** Sessions whose revalidation found the IdP unreachable in the last few seconds. */
  private final Cache<String, Instant> unreachableAt = Caffeine.newBuilder()
      .expireAfterWrite(RETRY_UNREACHABLE_AFTER).maximumSize(100_000).executor(Runnable::run).build();

  public SessionCheck(SsoContext sso) {
    this.sso = sso;
  }

  /** Empty when there is no live session; the detail of why goes to {@code why}. */
  public Future<Optional<Live>> check(ClientRequest request, StringBuilder why) {
    Optional<String> cookie = SsoCookies.read(request, SsoCookies.SESSION);
    if (cookie.isEmpty()) {
      why.append("no session");
      return Future.succeededFuture(Optional.empty());
    }
    Optional<Session> opened = sso.sessions().decode(cookie.get());
    if (opened.isEmpty()) {
      why.append("session cookie does not open");
      return Future.succeededFuture(Optional.empty());
    }
    Session session = opened.get();
    Instant now = sso.clock().instant();
    SsoConfig.Session policy = sso.config().session();
    String over = ended(session, now, policy, true);
    if (over != null) return ended(why, over);
    if (!now.isBefore(session.revalidatedAt().plus(policy.revalidateEvery()))) {
      // The same instance back: not revalidated here (another replica is on it, or the IdP is down within grace).
      return revalidate(session, now, why).map(s -> s.map(fresh -> fresh == session ? asIs(session, now)
          : live(fresh, now, true)));
    }
    return Future.succeededFuture(Optional.of(asIs(session, now)));
  }

  /** The session unchanged but for {@code lastSeen}, rewritten (with a new cookie) only past the granularity. */
  private Live asIs(Session session, Instant now) {
    boolean touch = now.isAfter(session.lastSeenAt().plus(LAST_SEEN_GRANULARITY));
    return live(touch ? session.withLastSeen(now) : session, now, touch);
  }

  private Live live(Session session, Instant now, boolean changed) {
    if (!changed) return new Live(session, null);
    Session seen = session.lastSeenAt().isBefore(now) ? session.withLastSeen(now) : session;
    try {
      return new Live(seen, SsoCookies.set(SsoCookies.SESSION, sso.sessions().encode(seen), null));
    } catch (CookieTooLargeException e) {
      // Cannot happen for a session that was encoded before with the same fields; keep the old cookie.
      return new Live(seen, null);
    }
  }

  /**
   * Whether a session that an open WebSocket tunnel was let in with is still live: its lifetime, revocation and,
   * when due, revalidation at the IdP (not idleness: a tunnel in use is not idle). Completes with the session as it
   * now is (revalidated, perhaps), or empty when it ended.
   */
  public Future<Optional<Session>> recheck(Session session) {
    Instant now = sso.clock().instant();
    SsoConfig.Session policy = sso.config().session();
    if (ended(session, now, policy, false) != null) return Future.succeededFuture(Optional.empty());
    if (!now.isBefore(session.revalidatedAt().plus(policy.revalidateEvery()))) {
      return revalidate(session, now, new StringBuilder());
    }
    return Future.succeededFuture(Optional.of(session));
  }

  /** Why the session is over at {@code now}, or null when it is not. */
  private String ended(Session session, Instant now, SsoConfig.Session policy, boolean idleCounts) {
    if (now.isAfter(session.createdAt().plus(policy.maxLifetime()))) return "session past max_lifetime";
    if (idleCounts && now.isAfter(session.lastSeenAt().plus(policy.idleTimeout()))) return "session idle too long";
    if (sso.revocations().isRevoked(session)) return "session revoked";
    return null;
  }

  private static Future<Optional<Live>> ended(StringBuilder why, String reason) {
    why.append(reason);
    return Future.succeededFuture(Optional.empty());
  }

  private Future<Optional<Session>> revalidate(Session session, Instant now, StringBuilder why) {
    // Not computeIfAbsent: a refresh that completes at once would remove its own entry from inside the map's update.
    Promise<Optional<Session>> mine = Promise.promise();
    Future<Optional<Session>> running = revalidating.putIfAbsent(session.id(), mine.future());
    Future<Optional<Session>> shared = running != null ? running : mine.future();
    if (running == null) {
      refresh(session, now).onComplete(done -> {
        revalidating.remove(session.id(), mine.future());
        mine.handle(done);
      });
    }
    return shared.map(result -> {
      if (result.isEmpty()) why.append("session ended at revalidation (refused by the IdP, or revoked)");
      return result;
    });
  }

  /**
   * Revalidates at the IdP unless another replica already is (then the session goes on as it is: the same instance
   * comes back, and no cookie is set, so this answer cannot overwrite the other replica's fresh cookie in the
   * browser). The shared store also says whether the session was revoked on a replica whose message was missed.
   */
  private Future<Optional<Session>> refresh(Session session, Instant now) {
    if (session.refreshToken() == null) return Future.succeededFuture(Optional.empty());
    return sso.revocations().beginRevalidation(session, claimHold())
        // The store is down: revalidating here too is at worst a second use of the refresh token, never a lost check.
        .recover(e -> Future.succeededFuture(RevocationSharing.Revalidation.ON_OUR_OWN))
        .compose(shared -> {
          if (sso.revocations().isRevoked(session)) return Future.succeededFuture(Optional.<Session>empty());
          if (!shared.claimed()) return Future.succeededFuture(Optional.of(session));
          return refreshAtIdp(session, now);
        });
  }

  /**
   * How long a replica's claim on a revalidation keeps the others from starting their own: long enough for one
   * refresh grant, and shorter than {@code revalidate_every}, so a claim never outlives the period it is for.
   */
  private Duration claimHold() {
    Duration half = sso.config().session().revalidateEvery().dividedBy(2);
    return half.compareTo(MAX_CLAIM_HOLD) < 0 ? half : MAX_CLAIM_HOLD;
  }

  private Future<Optional<Session>> refreshAtIdp(Session session, Instant now) {
    SsoConfig.Session policy = sso.config().session();
    boolean withinGrace = now.isBefore(session.revalidatedAt().plus(policy.revalidateEvery()).plus(policy.idpDownGrace()));
    Instant failedAt = unreachableAt.getIfPresent(session.id());
    if (failedAt != null) return Future.succeededFuture(withinGrace ? Optional.of(session) : Optional.empty());
    return sso.provider().discovered()
        .compose(idp -> sso.tokens().refresh(idp.token(), session.refreshToken())
            .compose(answer -> apply(idp, session, answer, now)))
        .recover(failure -> {
          // The IdP did not answer (or discovery failed): the session carries on within the grace, unrevalidated,
          // and this session does not ask again for a while (every request would otherwise try).
          unreachableAt.put(session.id(), now);
          sso.provider().markUnreachable();
          sso.events().ssoEvent(SsoEvents.REVALIDATION, "idp_unavailable");
          return Future.succeededFuture(withinGrace ? Optional.of(session) : Optional.empty());
        });
  }

  private Future<Optional<Session>> apply(OidcProvider.Discovered idp, Session session, TokenEndpoint.Answer answer,
      Instant now) {
    if (answer instanceof TokenEndpoint.Answer.Refused) {
      sso.events().ssoEvent(SsoEvents.REVALIDATION, "refused");
      sso.audit().record("revalidation_refused", null, session.subject(), session.email(), null, null,
          "the IdP refused the session's refresh: session " + session.id() + " revoked");
      // Revoked, not only refused here: every replica ends it now (those that did not claim this revalidation let
      // it through meanwhile), and no later request of it asks the IdP again.
      sso.revoke(Revocation.session(session.id(), now));
      return Future.succeededFuture(Optional.empty());
    }
    sso.events().ssoEvent(SsoEvents.REVALIDATION, "ok");
    TokenEndpoint.Answer.Tokens tokens = (TokenEndpoint.Answer.Tokens) answer;
    if (tokens.idToken() == null) {
      // Nothing to read groups from: the IdP confirmed the session, the groups stay as they were.
      return Future.succeededFuture(Optional.of(
          session.withRevalidation(now, tokens.refreshToken(), session.groups(), session.mfa(), session.acr())));
    }
    return idp.tokens().verify(tokens.idToken()).map(result -> {
      if (!(result instanceof JwtResult.Verified verified)) return Optional.<Session>empty();
      IdTokenClaims claims;
      try {
        claims = IdTokenClaims.from(verified.jwt(), sso.config().clientId(), null, sso.config().groupsClaim(),
            sso.relevantGroups(), sso.config().mfaAcr());
      } catch (IdTokenClaims.Rejected e) {
        return Optional.<Session>empty();
      }
      if (!claims.subject().equals(session.subject())) return Optional.<Session>empty();
      // MFA is a property of the login: a refresh does not undo it, nor can it add it.
      return Optional.of(session.withRevalidation(now, tokens.refreshToken(), claims.groups(), session.mfa(),
          session.acr()));
    });
  }
}
