package io.gatehouse.guard.auth;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.Guard;
import io.gatehouse.core.Identity;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Verdict;
import io.gatehouse.sso.web.BrowserNavigation;
import io.gatehouse.sso.web.LoginRedirect;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * A route's rules on who, after authentication: {@code require_groups} (membership in at least one) and
 * {@code require_mfa}. A person outside the groups gets 403 {@code forbidden} with a page that names the rule, never
 * their claims. A session without MFA on a route that requires it is sent back to the IdP for it (step-up) when it is
 * a browser opening a page, else 403.
 */
public final class IdentityRuleGuard implements Guard {
  private final List<String> requiredGroups;
  private final boolean requireMfa;
  private final LoginRedirect stepUp;
  private final BreakGlass breakGlass;

  /**
   * @param stepUp how a browser is sent back to the IdP for MFA
   * @param breakGlass the route's: a request it let through without a session has no identity to check, and n8n's
   *     own login decides
   */
  public IdentityRuleGuard(List<String> requiredGroups, boolean requireMfa, LoginRedirect stepUp,
      BreakGlass breakGlass) {
    this.requiredGroups = List.copyOf(requiredGroups);
    this.requireMfa = requireMfa;
    this.stepUp = stepUp;
    this.breakGlass = breakGlass;
  }

  @Override public Future<Verdict> check(Exchange exchange) {
    Optional<Identity> identity = exchange.identity();
    if (identity.isEmpty() && breakGlass.admits(exchange)) return Verdict.PASS;
    if (identity.isEmpty()) {
      // Only reachable if the chain were built wrongly: rules run after authentication. Fail closed.
      exchange.detail("identity rule without an identity");
      return Verdict.refuse(Reason.UNAUTHENTICATED);
    }
    if (!requiredGroups.isEmpty() && requiredGroups.stream().noneMatch(identity.get().groups()::contains)) {
      exchange.detail("not in any of require_groups " + requiredGroups);
      exchange.publicNote("This page is only for members of certain groups at your identity provider, and your"
          + " account is not in any of them. Ask your administrator for access.");
      return Verdict.refuse(Reason.FORBIDDEN);
    }
    if (requireMfa && !identity.get().mfa()) {
      if (BrowserNavigation.isNavigation(exchange.request(), exchange.path())) {
        return stepUp.start(exchange, true);
      }
      exchange.detail("require_mfa: the login used no second factor");
      exchange.publicNote("This page requires signing in with multi-factor authentication. Open it in your browser"
          + " to sign in again with a second factor.");
      return Verdict.refuse(Reason.FORBIDDEN);
    }
    return Verdict.PASS;
  }
}
