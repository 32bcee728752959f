package io.gatehouse.sso.web;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.Reason;
import io.gatehouse.core.ResponseHeaders;
import io.gatehouse.core.Verdict;
import io.gatehouse.sso.session.LoginState;
import io.vertx.core.Future;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import java.time.Duration;

/**
 * Sends a browser to the IdP to log in: an authorization-code request with PKCE (S256), {@code state} and
 * {@code nonce}, all three kept in a sealed login cookie with the page to return to. For a step-up (a route that
 * requires MFA, a session without it) the request asks the IdP for the MFA level ({@code acr_values}) on top of the
 * person's IdP session, so only the missing factor is asked for. Not {@code prompt=login}: that makes the IdP
 * authenticate every level again (Keycloak shows the password form before the OTP), and it adds nothing here,
 * since whether a second factor was used is read from the new ID token's {@code amr}/{@code acr}, not assumed.
 */
public final class LoginRedirect {
  /** A browser that takes longer than this at the IdP starts over. */
  public static final Duration LOGIN_MAX_AGE = Duration.ofMinutes(10);

  private final SsoContext sso;

  public LoginRedirect(SsoContext sso) {
    this.sso = sso;
  }

  public Future<Verdict> start(Exchange exchange, boolean stepUp) {
    if (sso.provider().recentlyUnreachable()) {
      exchange.detail("login cannot start: the IdP did not answer just now");
      exchange.publicNote("The sign-in service does not answer at the moment. Try again in a minute.");
      return Verdict.refuse(Reason.IDP_UNAVAILABLE, ResponseHeaders.of("Retry-After", "15"));
    }
    return sso.provider().discovered().transform(ar -> {
      if (ar.failed()) {
        exchange.detail("login cannot start: IdP unavailable (" + ar.cause().getClass().getSimpleName() + ")");
        return Verdict.refuse(Reason.IDP_UNAVAILABLE, ResponseHeaders.of("Retry-After", "5"));
      }
      LoginState login = LoginState.start(sso.random(), ReturnPath.of(exchange), sso.clock().instant(), stepUp);
      OAuth2AuthorizationURL request = new OAuth2AuthorizationURL()
          .setRedirectUri(sso.callbackUri().toString())
          .setScopes(sso.config().scopes())
          .setState(login.state())
          .setCodeChallenge(login.codeChallenge())
          .setCodeChallengeMethod("S256")
          .putAdditionalParameter("nonce", login.nonce());
      if (stepUp) {
        request.putAdditionalParameter("acr_values", sso.config().mfaAcr());
      }
      String location = ar.result().auth().authorizeURL(request);
      String cookie = SsoCookies.set(SsoCookies.loginCookieName(login.state()), sso.logins().encode(login), LOGIN_MAX_AGE);
      exchange.detail(stepUp ? "sent to the IdP for MFA (step-up)" : "sent to the IdP to log in");
      if (stepUp) sso.events().ssoEvent(SsoEvents.STEP_UP, "sent");
      return Verdict.redirect(Reason.UNAUTHENTICATED, location, ResponseHeaders.of("Set-Cookie", cookie));
    });
  }
}
