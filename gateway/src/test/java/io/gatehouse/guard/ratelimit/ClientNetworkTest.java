package io.gatehouse.guard.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientNetworkTest {
  @Test
  void ipv4IsCountedByAddress() throws Exception {
    assertThat(ClientNetwork.of(InetAddress.getByName("203.0.113.7"), 64)).isEqualTo("203.0.113.7");
  }

  @Test
  void addressesInOneIpv6Slash64ShareANetworkAndTheNextSlash64DoesNot() throws Exception {
    String a = ClientNetwork.of(InetAddress.getByName("2001:db8:0:a1::1"), 64);
    String b = ClientNetwork.of(InetAddress.getByName("2001:db8:0:a1:ffff:ffff:ffff:fffe"), 64);
    String other = ClientNetwork.of(InetAddress.getByName("2001:db8:0:a2::1"), 64);
    assertThat(a).isEqualTo("20010db8000000a1/64").isEqualTo(b).isNotEqualTo(other);
  }

  @Test
  void aPrefixThatIsNotWholeBytesMasksTheLastByte() throws Exception {
    assertThat(ClientNetwork.of(InetAddress.getByName("2001:db8:abcd::1"), 44)).isEqualTo("20010db8abc0/44");
    assertThat(ClientNetwork.of(InetAddress.getByName("2001:db8:abcd::1"), 128))
        .isEqualTo("20010db8abcd00000000000000000001/128");
  }
}
