package io.gatehouse.guard.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.config.Cidr;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.core.BodyBudget;
import io.gatehouse.core.BufferedBody;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.Reason;
import io.gatehouse.core.ResponseHeaders;
import io.gatehouse.core.Verdict;
import io.gatehouse.guard.BodyReader;
import io.gatehouse.sso.web.SsoAudit;
import io.gatehouse.sso.web.SsoEvents;
import io.vertx.core.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A route's {@code break_glass}: so an IdP outage cannot lock everyone out of n8n. From the listed sources (bastion
 * hosts) only, a request without a Gatehouse session goes to n8n as it is, where n8n's own login applies, and n8n's
 * password login ({@code POST /rest/login}) is let through for the listed accounts only: its small JSON body is read
 * here for the login name (never the password) and then forwarded byte for byte. Every such request is recorded
 * as break-glass in the access log; every login attempt is also a warning in the log and a counted event.
 */
public final class BreakGlass {
  /** n8n's login body is a few hundred bytes; anything near this is not a login. */
  static final long MAX_LOGIN_BODY = 16 * 1024;
  private static final System.Logger LOG = System.getLogger(BreakGlass.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  /** No break-glass: no source is admitted. */
  public static final BreakGlass NONE =
      new BreakGlass(List.of(), List.of(), null, Duration.ZERO, SsoEvents.NONE, SsoAudit.NONE);

  private final List<Cidr> sources;
  private final List<String> users;
  private final BodyBudget budget;
  private final Duration bodyTimeout;
  private final SsoEvents events;
  private final SsoAudit audit;

  private BreakGlass(List<Cidr> sources, List<String> users, BodyBudget budget, Duration bodyTimeout,
      SsoEvents events, SsoAudit audit) {
    this.audit = audit;
    this.sources = List.copyOf(sources);
    this.users = List.copyOf(users);
    this.budget = budget;
    this.bodyTimeout = bodyTimeout;
    this.events = events;
  }

  /** @param bodyTimeout {@code server.timeouts.request_body}, for the login body */
  public static BreakGlass of(RouteConfig.BreakGlass config, BodyBudget budget, Duration bodyTimeout,
      SsoEvents events, SsoAudit audit) {
    return new BreakGlass(config.allow(), config.users(), budget, bodyTimeout, events, audit);
  }

  /** Whether the request comes from a break-glass source (after trusted-proxy resolution). */
  boolean admits(Exchange exchange) {
    InetAddress client = exchange.clientAddress();
    if (client == null) return false;
    for (Cidr source : sources) if (source.contains(client)) return true;
    return false;
  }

  /** A request from a break-glass source without a session: to n8n, under n8n's own login. */
  Verdict passWithoutSession(Exchange exchange, String why) {
    exchange.detail("break-glass: " + why + "; passed to n8n's own login");
    return new Verdict.Pass(Optional.empty(), ResponseHeaders.NONE);
  }

  /** n8n's password login from a break-glass source: let through for a listed account, else 403 sso_required. */
  Future<Verdict> login(Exchange exchange) {
    return BodyReader.read(exchange, chunk -> { }, MAX_LOGIN_BODY, budget, bodyTimeout).transform(read -> {
      if (read.failed()) {
        Reason reason = read.cause() instanceof BodyReader.Refused refused ? refused.reason() : Reason.BAD_REQUEST;
        exchange.detail("break-glass login body not read: " + read.cause().getMessage());
        return Verdict.refuse(reason);
      }
      Optional<String> account = loginName(read.result());
      if (account.isEmpty() || !users.contains(account.get())) {
        // Not the name: a password typed into the name field would end up in the log.
        exchange.detail("break-glass login refused: not an account listed in break_glass.users");
        events.ssoEvent(SsoEvents.BREAK_GLASS, "refused");
        audit.record("break_glass", exchange, null, null, null, null, "n8n password login refused: not a listed account");
        LOG.log(System.Logger.Level.WARNING, "break-glass: n8n password login from {0} refused (not a listed"
            + " account)", exchange.clientAddress().getHostAddress());
        return Verdict.refuse(Reason.SSO_REQUIRED);
      }
      exchange.body(read.result());
      exchange.detail("break-glass: n8n password login as " + account.get());
      events.ssoEvent(SsoEvents.BREAK_GLASS, "login");
      audit.record("break_glass", exchange, null, account.get(), null, null, "n8n password login let through");
      LOG.log(System.Logger.Level.WARNING, "break-glass: n8n password login as {0} from {1} let through",
          account.get(), exchange.clientAddress().getHostAddress());
      return Future.succeededFuture(new Verdict.Pass(Optional.empty(), ResponseHeaders.NONE));
    });
  }

  /** n8n 2.x sends {@code emailOrLdapLoginId}; older versions {@code email}. Lower case, as listed. */
  private static Optional<String> loginName(BufferedBody body) {
    try {
      JsonNode login = JSON.readTree(body.bytes());
      JsonNode name = login == null ? null : login.has("emailOrLdapLoginId") ? login.get("emailOrLdapLoginId")
          : login.get("email");
      return name != null && name.isTextual() ? Optional.of(name.asText().toLowerCase(Locale.ROOT)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
