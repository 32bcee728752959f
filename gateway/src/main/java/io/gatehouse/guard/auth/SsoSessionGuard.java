package io.gatehouse.guard.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.config.SsoConfig;
import io.gatehouse.core.CredentialWatch;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.Guard;
import io.gatehouse.core.Identity;
import io.gatehouse.core.Reason;
import io.gatehouse.core.ResponseHeaders;
import io.gatehouse.core.UpstreamHeaderEdits;
import io.gatehouse.core.Verdict;
import io.gatehouse.sso.n8n.N8nIdentityAssertion;
import io.gatehouse.sso.session.Session;
import io.gatehouse.sso.web.BrowserNavigation;
import io.gatehouse.sso.web.LoginRedirect;
import io.gatehouse.sso.web.SessionCheck;
import io.gatehouse.sso.web.SsoContext;
import io.gatehouse.sso.web.SsoCookies;
import io.gatehouse.sso.web.SsoEvents;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code auth: sso}: the request must carry a live Gatehouse session ({@link SessionCheck}). Without one, a browser
 * opening a page is sent to the IdP to log in; anything else (XHR, {@code /rest/}, WebSocket handshakes) gets 401
 * {@code unauthenticated}. With one, the identity is the session's, and the request reaches n8n without Gatehouse's
 * cookies and any {@code Authorization}, with a fresh signed identity assertion for the n8n hook (when
 * {@code sso.n8n_users} is set) and the configured user and email headers.
 *
 * <p>n8n's password login ({@code POST /rest/login}) is refused with 403 {@code sso_required} on such a route: nobody
 * keeps a shared n8n password in use, except through the route's {@link BreakGlass}. n8n's own "Sign out"
 * ({@code POST /rest/logout}) ends the Gatehouse session too.
 */
public final class SsoSessionGuard implements Guard {
  /** Short: the assertion only has to reach n8n, in the same request. */
  static final Duration ASSERTION_TTL = Duration.ofSeconds(30);
  /**
   * A session's assertion is signed once and reused this long, so it reaches n8n with at least 20 s of its life
   * left: signing one per request was a sixth of a session check's cost. Nothing in it changes within a session
   * (subject, email, name and MFA are fixed at login), and the hook keeps no memory of assertions it has seen.
   */
  static final Duration ASSERTION_REUSE = Duration.ofSeconds(10);

  private final SsoContext sso;
  private final SessionCheck sessions;
  private final LoginRedirect logins;
  private final BreakGlass breakGlass;
  /** By session id; bounded, and each entry lives {@link #ASSERTION_REUSE}. */
  private final Cache<String, String> assertions = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(ASSERTION_REUSE).executor(Runnable::run).build();

  public SsoSessionGuard(SsoContext sso, SessionCheck sessions, LoginRedirect logins, BreakGlass breakGlass) {
    this.sso = sso;
    this.sessions = sessions;
    this.logins = logins;
    this.breakGlass = breakGlass;
  }

  @Override public Future<Verdict> check(Exchange exchange) {
    boolean bastion = breakGlass.admits(exchange);
    if (isN8nCall(exchange, "POST", "/rest/login")) {
      if (bastion) return breakGlass.login(exchange);
      exchange.detail("n8n password login refused: this route signs people in through the IdP");
      return Verdict.refuse(Reason.SSO_REQUIRED);
    }
    StringBuilder why = new StringBuilder();
    return sessions.check(exchange.request(), why).compose(live -> {
      if (live.isEmpty()) {
        return bastion ? Future.succeededFuture(breakGlass.passWithoutSession(exchange, why.toString()))
            : withoutSession(exchange, why.toString());
      }
      return Future.succeededFuture(pass(exchange, live.get()));
    });
  }

  private Future<Verdict> withoutSession(Exchange exchange, String why) {
    if (BrowserNavigation.isNavigation(exchange.request(), exchange.path())) return logins.start(exchange, false);
    exchange.detail(why);
    return Verdict.refuse(Reason.UNAUTHENTICATED);
  }

  private Verdict pass(Exchange exchange, SessionCheck.Live live) {
    Session session = live.session();
    Identity identity = new Identity(session.subject(), session.email(), session.name(), session.groups(),
        session.mfa(), session.id(), session.createdAt().plus(sso.config().session().maxLifetime()));
    UpstreamHeaderEdits edits = exchange.upstreamEdits();
    edits.removeCookie(SsoCookies.SESSION);
    edits.removeCookie(SsoCookies.LOGIN_PREFIX + "*");
    edits.remove("Authorization");
    N8nIdentityAssertion assertion = sso.n8nAssertion();
    if (assertion != null) {
      edits.set(N8nIdentityAssertion.HEADER, assertions.get(session.id(), id -> assertion.sign(session.subject(),
          session.email(), session.name(), session.mfa(), sso.clock().instant(), ASSERTION_TTL)));
    }
    SsoConfig.ForwardHeaders names = sso.config().forwardHeaders();
    edits.set(names.user(), session.subject());
    edits.set(names.email(), session.email());
    ResponseHeaders headers = live.setCookie() == null ? ResponseHeaders.NONE : ResponseHeaders.of("Set-Cookie", live.setCookie());
    if (exchange.request().isWebSocketHandshake()) {
      // The push channel stays open for hours: it must close when the session ends, within revalidate_every.
      AtomicReference<Session> current = new AtomicReference<>(session);
      exchange.credentialWatch(new CredentialWatch(sso.config().session().revalidateEvery(),
          () -> sessions.recheck(current.get()).map(now -> {
            now.ifPresent(current::set);
            return now.isPresent();
          })));
    }
    if (isN8nCall(exchange, "POST", "/rest/logout")) {
      // n8n's own "Sign out": this session ends here too (on every replica that sees the revocation), and at the IdP.
      sso.endSession(session);
      headers = ResponseHeaders.of("Set-Cookie", SsoCookies.clear(SsoCookies.SESSION));
      exchange.detail("n8n sign-out: session ended");
      sso.events().ssoEvent(SsoEvents.LOGOUT, "ok");
      sso.audit().record("logout", exchange, session.subject(), session.email(), null, null, "n8n sign-out");
    }
    return new Verdict.Pass(Optional.of(identity), headers);
  }


  /**
   * The way n8n's Express router matches it: any case, and with or without one trailing slash ({@code /rest/login/}
   * is n8n's login too, so it must be refused too).
   */
  private static boolean isN8nCall(Exchange exchange, String method, String path) {
    if (!exchange.request().method().name().equals(method)) return false;
    String p = exchange.path();
    if (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
    return p.equalsIgnoreCase(path);
  }
}
