package io.gatehouse.core;

import java.net.InetAddress;
import java.time.Instant;

/**
 * What the gateway did with one exchange, in the few facts that observers learning from traffic need (the lockout,
 * the anomaly detectors). Immutable, so it can be handed to another thread as it is. Holds no path, header or body.
 *
 * @param time when the request arrived
 * @param route the matched route's name; null when none matched
 * @param role the matched route's role; {@code OTHER} when none matched
 * @param client the client address after trusted-proxy resolution; null when it could not be resolved
 * @param subject the authenticated identity's subject; null when there is none
 * @param status the status answered (499 when the client left first)
 * @param reason why it was refused, or {@link Reason#NONE}
 */
public record ExchangeOutcome(
    Instant time, String route, Route.Role role, InetAddress client, String subject, int status, Reason reason) {

  public ExchangeOutcome {
    java.util.Objects.requireNonNull(time, "time");
    java.util.Objects.requireNonNull(role, "role");
    java.util.Objects.requireNonNull(reason, "reason");
  }

  /** The outcome of a finished exchange. */
  public static ExchangeOutcome of(Exchange exchange) {
    Route route = exchange.route().orElse(null);
    return new ExchangeOutcome(exchange.startedAt(), route == null ? null : route.name(),
        route == null ? Route.Role.OTHER : route.role(), exchange.clientAddress(),
        exchange.identity().map(Identity::subject).orElse(null), exchange.status(), exchange.reason());
  }

  /**
   * Whether this was a failed authentication, the event the lockout counts and the failed-auth detectors watch: a
   * credential refused with 401 (a bad or missing token or session on a route that needs one, a bad webhook
   * signature, a login the IdP or the callback refused) or n8n's password login where SSO is required. A browser sent
   * to the IdP to sign in (a 302 recorded as {@code unauthenticated}) is not one, nor is a missing signature header
   * or a stale timestamp, which are a sender's misconfiguration or clock rather than a guess.
   *
   * <p>Nor is a 401 on an editor route: that is a request without a live session, and an open n8n tab whose session
   * ended keeps calling {@code /rest} and reconnecting its push channel (an office behind one address has many such
   * tabs). Nothing is guessed there: sessions are sealed cookies, and passwords are typed at the IdP, whose refused
   * callbacks (on the gateway's own route) and n8n's own password login ({@code sso_required}) still count.
   */
  public boolean authFailure() {
    if (reason == Reason.SSO_REQUIRED) return true;
    if (status != 401) return false;
    return reason == Reason.SIGNATURE_INVALID || reason == Reason.UNAUTHENTICATED && role != Route.Role.EDITOR;
  }

  /** Whether the gateway refused it itself (a guard, the router, a limit), rather than serving or forwarding it. */
  public boolean refused() {
    return reason != Reason.NONE && reason != Reason.CLIENT_CLOSED && reason != Reason.UPSTREAM_UNAVAILABLE
        && reason != Reason.UPSTREAM_TIMEOUT;
  }
}
