package io.gatehouse.sso.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.core.BodyBudget;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.LocalAnswer;
import io.gatehouse.core.LocalEndpoint;
import io.gatehouse.core.Reason;
import io.gatehouse.core.ResponseHeaders;
import io.gatehouse.core.Verdict;
import io.gatehouse.sso.jwt.JwtResult;
import io.gatehouse.sso.jwt.VerifiedJwt;
import io.gatehouse.sso.revocation.Revocation;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code /_gatehouse/oidc/backchannel-logout}: the IdP tells Gatehouse that a session ended there (OIDC Back-Channel
 * Logout 1.0). The {@code logout_token} is checked as §2.6 asks: signed by the issuer's keys with {@code iss} and
 * times ({@code JwtVerifier}), {@code aud} our client, {@code iat} recent, a {@code jti} not seen before, the
 * back-channel {@code events} member, {@code sid} or {@code sub}, and no {@code nonce}. Then that IdP session (by
 * {@code sid}), or every session of {@code sub}, is revoked here.
 *
 * <p>Reachable from anywhere (the IdP is often outside the editor's allow-list): the token's signature is the
 * authentication. 200 when done, 400 {@code bad_request} for a token that does not check out (§2.8).
 */
public final class BackchannelLogoutEndpoint implements LocalEndpoint {

  private final SsoContext sso;
  private final Cache<String, Boolean> seenJti;
  private final BodyBudget bodies;

  /**
   * @param seenJti from {@link #newReplayMemory()}, kept across config reloads
   * @param bodies the buffered-body budget the form body is charged to
   */
  public BackchannelLogoutEndpoint(SsoContext sso, Cache<String, Boolean> seenJti, BodyBudget bodies) {
    this.sso = sso;
    this.seenJti = seenJti;
    this.bodies = bodies;
  }

  /** The {@code jti} values seen, kept a little longer than a token can be accepted. */
  public static Cache<String, Boolean> newReplayMemory() {
    return Caffeine.newBuilder().expireAfterWrite(LogoutTokenRules.MAX_AGE.multipliedBy(2)).maximumSize(100_000)
        .executor(Runnable::run).build();
  }

  @Override public Future<LocalAnswer> serve(Exchange exchange) {
    if (!exchange.request().method().name().equals("POST")) return refuse(exchange, "not a POST");
    return FormBodyReader.read(exchange, bodies).compose(form -> {
      List<String> tokens = form.get("logout_token");
      if (tokens == null || tokens.size() != 1) return refuse(exchange, "no single logout_token");
      return sso.provider().discovered()
          .compose(idp -> idp.tokens().verify(tokens.get(0)))
          .compose(result -> apply(exchange, result), failure -> {
            exchange.detail("logout token cannot be checked: IdP keys unavailable");
            sso.events().ssoEvent(SsoEvents.BACKCHANNEL_LOGOUT, Reason.IDP_UNAVAILABLE.code());
            return Future.succeededFuture(new LocalAnswer.Refusal(new Verdict.Refuse(Reason.IDP_UNAVAILABLE)));
          });
    }, failure -> {
      Reason reason = failure instanceof FormBodyReader.Unreadable unreadable ? unreadable.reason() : Reason.BAD_REQUEST;
      exchange.detail(failure.getMessage());
      return Future.succeededFuture(new LocalAnswer.Refusal(new Verdict.Refuse(reason)));
    });
  }

  private Future<LocalAnswer> apply(Exchange exchange, JwtResult result) {
    if (result instanceof JwtResult.Refused refused) return refuse(exchange, "logout token " + refused.reason().code());
    VerifiedJwt token = ((JwtResult.Verified) result).jwt();
    Instant now = sso.clock().instant();
    Optional<String> violation = LogoutTokenRules.violation(token, sso.config().clientId(), now);
    if (violation.isPresent()) return refuse(exchange, violation.get());
    String sid = token.text("sid");
    String sub = token.subject();
    String jti = token.text("jti");
    if (seenJti.asMap().putIfAbsent(jti, Boolean.TRUE) != null) return refuse(exchange, "logout token replayed");
    Revocation revocation = sid != null ? Revocation.idpSession(sid, now) : Revocation.subject(sub, now);
    String what = sid != null ? "back-channel logout of an IdP session" : "back-channel logout of every session of a subject";
    return sso.revoke(revocation).map(v -> {
      exchange.detail(what);
      sso.events().ssoEvent(SsoEvents.BACKCHANNEL_LOGOUT, "ok");
      sso.audit().record("backchannel_logout", exchange, sub, null, null, null, what);
      return (LocalAnswer) new LocalAnswer.Response(200, ResponseHeaders.NONE, null, new byte[0]);
    }).recover(failure -> {
      // Ended on this replica only. Said to the IdP (its admin sees a failed logout), and the token may be sent
      // again: the other replicas end the session at its next revalidation in any case.
      seenJti.invalidate(jti);
      exchange.detail(what + ": done on this replica, not shared (store unavailable)");
      sso.events().ssoEvent(SsoEvents.BACKCHANNEL_LOGOUT, Reason.STORE_UNAVAILABLE.code());
      return Future.succeededFuture(new LocalAnswer.Refusal(
          new Verdict.Refuse(503, Reason.STORE_UNAVAILABLE, ResponseHeaders.of("Retry-After", "5"))));
    });
  }

  private Future<LocalAnswer> refuse(Exchange exchange, String why) {
    exchange.detail(why);
    sso.events().ssoEvent(SsoEvents.BACKCHANNEL_LOGOUT, Reason.BAD_REQUEST.code());
    return Future.succeededFuture(new LocalAnswer.Refusal(new Verdict.Refuse(Reason.BAD_REQUEST)));
  }
}
