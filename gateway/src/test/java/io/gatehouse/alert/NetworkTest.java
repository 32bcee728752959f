package io.gatehouse.alert;

import static io.gatehouse.alert.Outcomes.ip;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetworkTest {
  @Test
  void namesASourceByItsAddressOrItsIpv6Slash64() {
    assertThat(Network.source(ip("203.0.113.7"))).hasToString("203.0.113.7");
    assertThat(Network.source(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd"))).hasToString("2001:db8:1:2::/64");
    assertThat(Network.source(ip("2001:db8:1:2::1"))).isEqualTo(Network.source(ip("2001:db8:1:2:ffff::9")));
    assertThat(Network.source(ip("::ffff:192.0.2.1"))).hasToString("192.0.2.1"); // an IPv4-mapped address is IPv4
  }

  @Test
  void namesASiteByItsSlash24OrSlash48AndPacksIntoOneLong() {
    for (String address : new String[] {"198.51.100.77", "2001:db8:abcd:12::1", "10.0.0.1", "fe80::1"}) {
      Network site = Network.site(ip(address));
      assertThat(Network.unpack(site.pack(), 24, 48)).isEqualTo(site);
    }
    assertThat(Network.site(ip("198.51.100.77"))).hasToString("198.51.100.0/24");
    assertThat(Network.site(ip("2001:db8:abcd:12::1"))).hasToString("2001:db8:abcd::/48");
    assertThat(Network.site(ip("10.0.0.1")).pack()).isNotEqualTo(Network.site(ip("::a00:1")).pack());
  }
}
