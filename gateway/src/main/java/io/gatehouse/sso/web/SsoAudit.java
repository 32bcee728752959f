package io.gatehouse.sso.web;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.LogEvent;
import io.gatehouse.core.Exchange;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The audit log's {@code sso} entries (docs/audit-log.md): logins, refused logins, logouts, back-channel logouts,
 * sessions the IdP refused at revalidation, step-ups and break-glass uses. They name the person (subject and e-mail,
 * as the IdP asserted them) so the evidence report can say who reached n8n; they never hold a token, a cookie or a
 * password.
 */
public final class SsoAudit {
  /** Records nothing (tests that build an SSO context without a log). */
  public static final SsoAudit NONE = new SsoAudit(e -> { }, Clock.systemUTC());

  private final Consumer<AuditEvent> log;
  private final Clock clock;

  public SsoAudit(Consumer<AuditEvent> log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  /**
   * One SSO event.
   *
   * @param exchange the request it happened on, for the client address and request id; null when on none
   * @param subject the person's subject; null when not known (a refused login)
   */
  public void record(String event, Exchange exchange, String subject, String email, List<String> groups, Boolean mfa,
      String detail) {
    InetAddress client = exchange == null ? null : exchange.clientAddress();
    log.accept(LogEvent.of("sso", clock.instant(),
        "event", event,
        "subject", subject,
        "email", email,
        "groups", groups == null || groups.isEmpty() ? null : List.copyOf(groups),
        "mfa", mfa,
        "client_ip", client == null ? null : client.getHostAddress(),
        "request_id", exchange == null ? null : exchange.requestId(),
        "detail", detail));
  }
}
