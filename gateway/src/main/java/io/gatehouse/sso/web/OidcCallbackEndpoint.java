package io.gatehouse.sso.web;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.Identity;
import io.gatehouse.core.LocalAnswer;
import io.gatehouse.core.LocalEndpoint;
import io.gatehouse.core.Reason;
import io.gatehouse.core.ResponseHeaders;
import io.gatehouse.core.Verdict;
import io.gatehouse.sso.jwt.JwtResult;
import io.gatehouse.sso.oidc.IdTokenClaims;
import io.gatehouse.sso.oidc.TokenEndpoint;
import io.gatehouse.sso.session.CookieTooLargeException;
import io.gatehouse.sso.session.LoginState;
import io.gatehouse.sso.session.Session;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /_gatehouse/oidc/callback}: where the IdP sends the browser back. Checks {@code state} against the sealed
 * login cookie of that login (so a callback the browser did not start is refused: login CSRF), redeems the code with
 * the PKCE verifier, verifies the ID token ({@code nonce} included), starts the session and sends the person back to
 * the page first asked for (a path on this gateway only, {@link ReturnPath}).
 *
 * <p>A step-up ({@code require_mfa}) that comes back without a second factor (an IdP that ignores
 * {@code acr_values} or does not know {@code sso.mfa_acr}) still starts the session, but ends at 403
 * {@code forbidden} here rather than at the page, which would send the browser to the IdP again, and the IdP, whose
 * session suffices, straight back: a redirect loop.
 *
 * <p>Refusals: the IdP's own error, a missing, expired, replayed or foreign {@code state}, a code the IdP will not
 * redeem, an unusable ID token: 401 {@code unauthenticated} (the detail, with the IdP's error code, goes to the audit
 * log); the IdP not answering: 503 {@code idp_unavailable}.
 */
public final class OidcCallbackEndpoint implements LocalEndpoint {
  private final SsoContext sso;

  public OidcCallbackEndpoint(SsoContext sso) {
    this.sso = sso;
  }

  @Override public Future<LocalAnswer> serve(Exchange exchange) {
    if (!exchange.request().method().name().equals("GET")) return refuse(exchange, Reason.BAD_REQUEST, "bad_request", "callback not a GET");
    Map<String, List<String>> params = new QueryStringDecoder(exchange.query() == null ? "" : exchange.query(),
        StandardCharsets.UTF_8, false, 16).parameters();
    String error = single(params, "error");
    if (error != null) {
      String code = error.matches("[a-z_]{1,64}") ? error : "unrecognised";
      return refuse(exchange, Reason.UNAUTHENTICATED, "idp_error", "login failed at the IdP: " + code);
    }
    String state = single(params, "state");
    String code = single(params, "code");
    // Our states are 22 base64url characters; anything else was not issued here (and names no cookie of ours).
    if (state == null || code == null || !state.matches("[A-Za-z0-9_-]{16,64}") || code.length() > 4096) {
      return refuse(exchange, Reason.BAD_REQUEST, "bad_request", "callback without one state and one code");
    }
    String cookieName = SsoCookies.loginCookieName(state);
    Optional<LoginState> login = SsoCookies.read(exchange.request(), cookieName)
        .flatMap(value -> sso.logins().decode(value, sso.clock().instant()));
    if (login.isEmpty() || !MessageDigest.isEqual(login.get().state().getBytes(StandardCharsets.UTF_8),
        state.getBytes(StandardCharsets.UTF_8))) {
      return refuse(exchange, Reason.UNAUTHENTICATED, "bad_state", "callback state matches no login of this browser (expired,"
          + " replayed or not started here)");
    }
    // The login cookie is spent whatever happens next: a second use of this callback finds nothing.
    ResponseHeaders spent = ResponseHeaders.of("Set-Cookie", SsoCookies.clear(cookieName));
    exchange.addResponseHeaders(spent);
    return sso.provider().discovered()
        .compose(idp -> sso.tokens().exchangeCode(idp.token(), code, sso.callbackUri().toString(),
                login.get().codeVerifier())
            .compose(answer -> {
              if (answer instanceof TokenEndpoint.Answer.Refused refused) {
                return refuse(exchange, Reason.UNAUTHENTICATED, "code_refused", "the IdP refused the code: " + refused.error());
              }
              String idToken = ((TokenEndpoint.Answer.Tokens) answer).idToken();
              if (idToken == null) return refuse(exchange, Reason.UNAUTHENTICATED, "bad_id_token", "the IdP sent no ID token");
              String refreshToken = ((TokenEndpoint.Answer.Tokens) answer).refreshToken();
              return idp.tokens().verify(idToken).compose(result -> start(exchange, login.get(), result, refreshToken));
            }))
        .recover(failure -> {
          sso.provider().markUnreachable();
          return refuse(exchange, Reason.IDP_UNAVAILABLE, "idp_unavailable",
              "login cannot finish: IdP unavailable (" + failure.getClass().getSimpleName() + ")");
        });
  }

  private Future<LocalAnswer> start(Exchange exchange, LoginState login, JwtResult result, String refreshToken) {
    if (result instanceof JwtResult.Refused refused) {
      return refuse(exchange, Reason.UNAUTHENTICATED, "bad_id_token", "ID token refused: " + refused.reason().code());
    }
    IdTokenClaims claims;
    try {
      claims = IdTokenClaims.from(((JwtResult.Verified) result).jwt(), sso.config().clientId(), login.nonce(),
          sso.config().groupsClaim(), sso.relevantGroups(), sso.config().mfaAcr());
    } catch (IdTokenClaims.Rejected e) {
      return refuse(exchange, Reason.UNAUTHENTICATED, "bad_id_token", "ID token refused: " + e.getMessage());
    }
    Instant now = sso.clock().instant();
    Session session = Session.start(sso.random(), claims.subject(), claims.email(), claims.name(), claims.groups(),
        claims.mfa(), claims.acr(), claims.sid(), refreshToken, now);
    String cookie;
    try {
      cookie = sso.sessions().encode(session);
    } catch (CookieTooLargeException e) {
      return refuse(exchange, Reason.GUARD_ERROR, "cookie_too_large", "session cookie too large (" + e.length() + " bytes)");
    }
    exchange.identity(new Identity(session.subject(), session.email(), session.name(), session.groups(),
        session.mfa(), session.id(), now.plus(sso.config().session().maxLifetime())));
    exchange.detail("login" + (session.mfa() ? " with MFA" : ""));
    sso.events().ssoEvent(SsoEvents.LOGIN, "ok");
    sso.audit().record("login", exchange, session.subject(), session.email(), session.groups(), session.mfa(),
        login.stepUp() ? "step-up" : null);
    ResponseHeaders setSession = ResponseHeaders.of("Set-Cookie", SsoCookies.set(SsoCookies.SESSION, cookie, null));
    if (login.stepUp()) {
      sso.events().ssoEvent(SsoEvents.STEP_UP, session.mfa() ? "ok" : "no_mfa");
      sso.audit().record("step_up", exchange, session.subject(), session.email(), null, session.mfa(),
          session.mfa() ? "with a second factor" : "without a second factor: refused");
      if (!session.mfa()) {
        exchange.detail("step-up login without a second factor (acr " + claims.acr() + ")");
        exchange.publicNote("This page requires signing in with multi-factor authentication, and the sign-in just"
            + " made did not use a second factor. Ask your administrator.");
        return Future.succeededFuture(new LocalAnswer.Refusal(
            new Verdict.Refuse(Reason.FORBIDDEN.status(), Reason.FORBIDDEN, setSession)));
      }
    }
    String back = ReturnPath.isSafe(login.returnTo()) ? login.returnTo() : ReturnPath.HOME;
    return Future.succeededFuture(new LocalAnswer.Response(302, ResponseHeaders.of("Location", back)
        .and(setSession), null, new byte[0]));
  }

  private static String single(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.size() != 1 ? null : values.get(0);
  }

  private Future<LocalAnswer> refuse(Exchange exchange, Reason reason, String outcome, String detail) {
    exchange.detail(detail);
    sso.events().ssoEvent(SsoEvents.LOGIN, outcome);
    sso.audit().record("login_refused", exchange, null, null, null, null, outcome);
    if (reason == Reason.UNAUTHENTICATED) {
      exchange.publicNote("Signing in did not complete. Go back to the page you wanted and try again.");
    }
    return Future.succeededFuture(new LocalAnswer.Refusal(new Verdict.Refuse(reason)));
  }
}
