package io.gatehouse.sso.web;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.LocalAnswer;
import io.gatehouse.core.LocalEndpoint;
import io.gatehouse.core.ResponseHeaders;
import io.vertx.core.Future;

/**
 * {@code /_gatehouse/logout}: ends the session here (revoked, so a copied cookie stops working too), in n8n (its
 * {@code n8n-auth} cookie cleared) and at the IdP (its session ended with the session's refresh token, server to
 * server), then shows a signed-out page.
 *
 * <p>Not a browser redirect to the IdP's end-session endpoint: without an {@code id_token_hint}, which the session
 * does not keep (it would double the cookie), Keycloak asks the person to confirm, and a logout that depends on a
 * click is one that does not happen. The IdP session ends all the same.
 */
public final class LogoutEndpoint implements LocalEndpoint {
  private static final String PAGE = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Signed out</title>"
      + "</head><body><h1>You are signed out</h1><p><a href=\"/\">Sign in again</a></p></body></html>\n";

  private final SsoContext sso;

  public LogoutEndpoint(SsoContext sso) {
    this.sso = sso;
  }

  @Override public Future<LocalAnswer> serve(Exchange exchange) {
    SsoCookies.read(exchange.request(), SsoCookies.SESSION).flatMap(sso.sessions()::decode).ifPresent(session -> {
      sso.endSession(session);
      exchange.detail("logout of session " + session.id());
      sso.audit().record("logout", exchange, session.subject(), session.email(), null, null, "gatehouse logout");
    });
    if (exchange.detail() == null) exchange.detail("logout without a session");
    sso.events().ssoEvent(SsoEvents.LOGOUT, "ok");
    ResponseHeaders clear = ResponseHeaders.of("Set-Cookie", SsoCookies.clear(SsoCookies.SESSION))
        .and("Set-Cookie", SsoCookies.clearN8n());
    return Future.succeededFuture(LocalAnswer.Response.html(200, PAGE, clear));
  }

}
