package io.gatehouse.guard.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Cidr;
import io.gatehouse.config.IpLiteral;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.Guard;
import io.gatehouse.core.GuardChain;
import io.gatehouse.core.Reason;
import io.gatehouse.core.ResponseHeaders;
import io.gatehouse.core.Verdict;
import io.gatehouse.guard.CountingGuard;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceGuardsTest {
  private static final Verdict REFUSED = new Verdict.Refuse(Reason.SOURCE_NOT_ALLOWED);
  private static final Verdict PASSED = new Verdict.Pass(java.util.Optional.empty(), ResponseHeaders.NONE);

  private final CountingGuard next = new CountingGuard();

  @Test
  void passesAddressInsideAnAllowedNetworkOnToTheNextGuard() {
    Guard allow = new SourceAllowListGuard(cidrs("10.0.0.0/8", "192.168.0.0/16"));
    assertThat(run(from("192.168.4.2"), allow)).isEqualTo(PASSED);
    assertThat(next.calls()).isEqualTo(1);
  }

  @Test
  void refusesAddressOutsideTheAllowListWith403AndStopsTheChain() {
    Guard allow = new SourceAllowListGuard(cidrs("10.0.0.0/8"));
    Verdict verdict = run(from("203.0.113.9"), allow);
    assertThat(verdict).isEqualTo(REFUSED);
    assertThat(((Verdict.Refuse) verdict).status()).isEqualTo(403);
    assertThat(next.calls()).isZero();
  }

  @Test
  void emptyAllowListRefusesEveryone() {
    Guard allow = new SourceAllowListGuard(List.of());
    assertThat(run(from("127.0.0.1"), allow)).isEqualTo(REFUSED);
    assertThat(run(from("::1"), allow)).isEqualTo(REFUSED);
    assertThat(next.calls()).isZero();
  }

  @Test
  void allowAllNetworksCoverBothFamilies() {
    Guard allow = new SourceAllowListGuard(cidrs("0.0.0.0/0", "::/0"));
    assertThat(run(from("203.0.113.9"), allow)).isEqualTo(PASSED);
    assertThat(run(from("2001:db8::1"), allow)).isEqualTo(PASSED);
    assertThat(next.calls()).isEqualTo(2);
  }

  @Test
  void ipv4RuleAppliesToIpv4MappedClient() throws UnknownHostException {
    InetAddress mapped = java.net.Inet6Address.getByAddress(null,
        new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3}, -1);
    assertThat(run(exchangeFrom(mapped), new SourceAllowListGuard(cidrs("10.0.0.0/8")))).isEqualTo(PASSED);
    assertThat(run(exchangeFrom(mapped), new SourceDenyListGuard(cidrs("10.1.0.0/16")))).isEqualTo(REFUSED);
  }

  @Test
  void ipv4AllowListDoesNotLetIpv6In() {
    assertThat(run(from("2001:db8::1"), new SourceAllowListGuard(cidrs("0.0.0.0/0")))).isEqualTo(REFUSED);
    assertThat(next.calls()).isZero();
  }

  @Test
  void refusesWhenClientAddressWasNeverResolved() {
    Exchange unresolved = new Exchange("req", null);
    assertThat(run(unresolved, new SourceAllowListGuard(cidrs("0.0.0.0/0", "::/0")))).isEqualTo(REFUSED);
    assertThat(run(unresolved, new SourceDenyListGuard(List.of()))).isEqualTo(REFUSED);
    assertThat(next.calls()).isZero();
  }

  @Test
  void denyListRefusesAnAllowedAddressWith403AndStopsTheChain() {
    GuardChain chain = new GuardChain(List.of(
        new SourceDenyListGuard(cidrs("10.66.0.0/16")), new SourceAllowListGuard(cidrs("10.0.0.0/8")), next));
    assertThat(chain.run(from("10.66.1.1")).result()).isEqualTo(REFUSED);
    assertThat(next.calls()).isZero();
    assertThat(chain.run(from("10.67.1.1")).result()).isEqualTo(PASSED);
    assertThat(next.calls()).isEqualTo(1);
  }

  @Test
  void emptyDenyListPassesEveryone() {
    assertThat(run(from("203.0.113.9"), new SourceDenyListGuard(List.of()))).isEqualTo(PASSED);
    assertThat(next.calls()).isEqualTo(1);
  }

  @Test
  void answersWithAlreadyCompletedFutures() {
    Future<Verdict> allow = new SourceAllowListGuard(cidrs("10.0.0.0/8")).check(from("10.0.0.1"));
    Future<Verdict> deny = new SourceDenyListGuard(cidrs("10.0.0.0/8")).check(from("10.0.0.1"));
    assertThat(allow.isComplete()).isTrue();
    assertThat(deny.isComplete()).isTrue();
  }

  private Verdict run(Exchange exchange, Guard guard) {
    Future<Verdict> result = new GuardChain(List.of(guard, next)).run(exchange);
    assertThat(result.isComplete()).isTrue();
    return result.result();
  }

  private static Exchange from(String address) {
    return exchangeFrom(IpLiteral.parse(address).orElseThrow());
  }

  private static Exchange exchangeFrom(InetAddress address) {
    Exchange exchange = new Exchange("req", null);
    exchange.clientAddress(address);
    return exchange;
  }

  private static List<Cidr> cidrs(String... texts) {
    return java.util.Arrays.stream(texts).map(Cidr::parse).toList();
  }
}
