package io.gatehouse.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.IpLiteral;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.GuardChain;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class DenyAllGuardTest {

  @Test
  void refusesEveryRequestWith403RouteDeniedAndStopsTheChain() {
    CountingGuard next = new CountingGuard();
    Exchange exchange = new Exchange("req-1", null);
    exchange.clientAddress(IpLiteral.parse("127.0.0.1").orElseThrow());

    Verdict verdict = new GuardChain(List.of(new DenyAllGuard(), next)).run(exchange).result();

    assertThat(verdict).isEqualTo(new Verdict.Refuse(Reason.ROUTE_DENIED));
    assertThat(((Verdict.Refuse) verdict).status()).isEqualTo(403);
    assertThat(next.calls()).isZero();
  }

  @Test
  void answersWithAnAlreadyCompletedFuture() {
    assertThat(new DenyAllGuard().check(new Exchange("req-2", null)).isComplete()).isTrue();
  }
}
