package io.gatehouse.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Cidr;
import io.gatehouse.config.IpLiteral;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressResolverTest {
  private final ClientAddressResolver resolver =
      new ClientAddressResolver(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")));

  @Test
  void ignoresSpoofedForwardedForFromUntrustedPeer() {
    assertThat(resolver.resolve(ip("203.0.113.9"), List.of("10.1.1.1"))).isEqualTo(ip("203.0.113.9"));
    assertThat(resolver.resolve(ip("203.0.113.9"), List.of("garbage, 10.1.1.1"))).isEqualTo(ip("203.0.113.9"));
  }

  @Test
  void takesRightmostUntrustedHopBehindTrustedChain() {
    // The client prepended a fake 192.168.1.1; the trusted proxies appended the real peer 198.51.100.7.
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("192.168.1.1, 198.51.100.7, 10.0.0.5")))
        .isEqualTo(ip("198.51.100.7"));
  }

  @Test
  void trustedPeerWithoutHeaderIsTheClient() {
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of())).isEqualTo(ip("10.0.0.2"));
  }

  @Test
  void allHopsTrustedGivesLeftmostHop() {
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("10.9.9.9, 10.0.0.5"))).isEqualTo(ip("10.9.9.9"));
  }

  @Test
  void concatenatesMultipleHeaderLinesInOrder() {
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("192.168.1.1, 198.51.100.7", "10.0.0.5")))
        .isEqualTo(ip("198.51.100.7"));
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("198.51.100.7", "192.168.1.1", "10.0.0.5")))
        .isEqualTo(ip("192.168.1.1"));
  }

  @Test
  void garbageHopStopsTheWalkAtLastTrustedHop() {
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("198.51.100.7, unknown, 10.0.0.5"))).isEqualTo(ip("10.0.0.5"));
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("evil.example.com"))).isEqualTo(ip("10.0.0.2"));
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("010.0.0.1"))).isEqualTo(ip("10.0.0.2"));
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("1.2.3.4:99999"))).isEqualTo(ip("10.0.0.2"));
  }

  @Test
  void ignoresEmptyListElements() {
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of(" , 198.51.100.7 ,,"))).isEqualTo(ip("198.51.100.7"));
  }

  @Test
  void parsesIpv6HopsWithAndWithoutBracketsAndPorts() {
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("2001:db8::1"))).isEqualTo(ip("2001:db8::1"));
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("[2001:db8::1]"))).isEqualTo(ip("2001:db8::1"));
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("[2001:db8::1]:4711, [fd00::7]:443"))).isEqualTo(ip("2001:db8::1"));
    assertThat(resolver.resolve(ip("fd00::2"), List.of("198.51.100.7:4711"))).isEqualTo(ip("198.51.100.7"));
  }

  @Test
  void refusesMalformedBracketsAndZones() {
    assertThat(ClientAddressResolver.parseHop("[2001:db8::1")).isEmpty();
    assertThat(ClientAddressResolver.parseHop("[2001:db8::1]x")).isEmpty();
    assertThat(ClientAddressResolver.parseHop("[10.0.0.1]")).isEmpty();
    assertThat(ClientAddressResolver.parseHop("fe80::1%eth0")).isEmpty();
    assertThat(ClientAddressResolver.parseHop("host:80")).isEmpty();
  }

  @Test
  void treatsIpv4MappedPeerAsIpv4() throws UnknownHostException {
    InetAddress mapped = java.net.Inet6Address.getByAddress(null,
        new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 2}, -1);
    assertThat(mapped).isInstanceOf(java.net.Inet6Address.class);
    assertThat(resolver.resolve(mapped, List.of("198.51.100.7"))).isEqualTo(ip("198.51.100.7"));
    InetAddress mappedUntrusted = java.net.Inet6Address.getByAddress(null,
        new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 203, 0, 113, 9}, -1);
    assertThat(resolver.resolve(mappedUntrusted, List.of("10.1.1.1"))).isEqualTo(ip("203.0.113.9"));
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("::ffff:198.51.100.7"))).isEqualTo(ip("198.51.100.7"));
  }

  @Test
  void noTrustedProxiesMeansPeerAlways() {
    ClientAddressResolver none = new ClientAddressResolver(List.of());
    assertThat(none.resolve(ip("10.0.0.2"), List.of("198.51.100.7"))).isEqualTo(ip("10.0.0.2"));
  }

  @Test
  void stopsAtAHopThatOnlyDnsCouldRead() {
    // ".::1" passed the old "hex digits, ':' and '.'" filter and was then resolved as a host name.
    for (String hop : List.of(".::1", ".:", "fe80::1%eth0", "[.::1]:80", "localhost", "01.2.3.4")) {
      assertThat(resolver.resolve(ip("10.0.0.2"), List.of("198.51.100.7, " + hop))).as(hop).isEqualTo(ip("10.0.0.2"));
    }
    assertThat(resolver.resolve(ip("10.0.0.2"), List.of("[2001:db8::7]:443"))).isEqualTo(ip("2001:db8::7"));
  }

  private static InetAddress ip(String literal) {
    return IpLiteral.parse(literal).orElseThrow();
  }
}
