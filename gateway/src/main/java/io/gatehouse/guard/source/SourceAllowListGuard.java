package io.gatehouse.guard.source;

import io.gatehouse.config.Cidr;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.Guard;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Verdict;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.List;

/**
 * Lets a request on only when its client address is inside one of the route's {@code allow} networks. An empty
 * list lets nobody in: a route whose allow-list was forgotten must fail closed, unlike netty's
 * {@code RuleBasedIpFilter}, which accepts when no rule matches.
 */
public final class SourceAllowListGuard implements Guard {
  private final List<Cidr> allowed;

  public SourceAllowListGuard(List<Cidr> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  @Override
  public Future<Verdict> check(Exchange exchange) {
    // Resolved once before the guards run: the socket peer, or X-Forwarded-For only behind a trusted proxy.
    InetAddress client = exchange.clientAddress();
    if (client == null) return Verdict.refuse(Reason.SOURCE_NOT_ALLOWED);
    for (Cidr cidr : allowed) {
      if (cidr.contains(client)) return Verdict.PASS;
    }
    return Verdict.refuse(Reason.SOURCE_NOT_ALLOWED);
  }
}
