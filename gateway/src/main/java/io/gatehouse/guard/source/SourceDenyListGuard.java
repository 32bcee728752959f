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
 * Refuses a request whose client address is inside one of the route's {@code deny} networks, even when an allow
 * rule covers it too ({@code allow: 10.0.0.0/8} with {@code deny: 10.66.0.0/16} carves out a subnet). Kept apart
 * from {@link SourceAllowListGuard} so each class has one job; the route builder puts this one first.
 */
public final class SourceDenyListGuard implements Guard {
  private final List<Cidr> denied;

  public SourceDenyListGuard(List<Cidr> denied) {
    this.denied = List.copyOf(denied);
  }

  @Override
  public Future<Verdict> check(Exchange exchange) {
    InetAddress client = exchange.clientAddress();
    // No address means classify did not run: fail closed rather than treat it as "not in the deny list".
    if (client == null) return Verdict.refuse(Reason.SOURCE_NOT_ALLOWED);
    for (Cidr cidr : denied) {
      if (cidr.contains(client)) return Verdict.refuse(Reason.SOURCE_NOT_ALLOWED);
    }
    return Verdict.PASS;
  }
}
