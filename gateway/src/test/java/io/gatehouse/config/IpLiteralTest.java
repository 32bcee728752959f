package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class IpLiteralTest {

  /** A literal and the bytes it stands for (as hex, no separators), or null when it must be refused. */
  private record Row(String literal, String hex) {}

  private static Row valid(String literal, String hex) {
    return new Row(literal, hex);
  }

  private static Row invalid(String literal) {
    return new Row(literal, null);
  }

  static Stream<Row> table() {
    return Stream.of(
        // --- IPv4
        valid("192.0.2.1", "c0000201"),
        valid("0.0.0.0", "00000000"),
        valid("255.255.255.255", "ffffffff"),
        invalid("01.2.3.4"), // octal to inet_aton, decimal to others
        invalid("1.2.3.010"),
        invalid("1.2.3"),
        invalid("1.2.3.4.5"),
        invalid("256.1.1.1"),
        invalid("1.2.3.4."),
        invalid(".1.2.3.4"),
        invalid("1..2.3"),
        invalid("1.2.3.4 "),
        invalid(" 1.2.3.4"),
        invalid("\u0661.2.3.4"), // an Arabic-Indic digit
        invalid("1.2.3.1234"),
        invalid("0x7f.0.0.1"),
        invalid("2130706433"), // 127.0.0.1 as one number, for inet_aton
        invalid("localhost"),
        invalid("abcd"),
        invalid(""),
        // --- IPv6
        valid("::", "00000000000000000000000000000000"),
        valid("::1", "00000000000000000000000000000001"),
        valid("1::", "00010000000000000000000000000000"),
        valid("1:2:3:4:5:6:7:8", "00010002000300040005000600070008"),
        valid("1:2:3:4:5:6:7::", "00010002000300040005000600070000"),
        valid("::2:3:4:5:6:7:8", "00000002000300040005000600070008"),
        valid("2001:DB8::A:b", "20010db80000000000000000000a000b"),
        valid("fe80::0001", "fe800000000000000000000000000001"),
        valid("::ffff:1.2.3.4", "01020304"), // IPv4-mapped comes back as IPv4
        valid("::1.2.3.4", "00000000000000000000000001020304"),
        valid("64:ff9b::192.0.2.1", "0064ff9b0000000000000000c0000201"),
        valid("1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304"),
        valid("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", "ffffffffffffffffffffffffffffffff"),
        invalid(".::1"), // passed the old character filter, then went to DNS
        invalid(".:"),
        invalid(".::"),
        invalid("::."),
        invalid(":"),
        invalid(":::"),
        invalid("1::2::3"),
        invalid("1:2:3:4:5:6:7:8:9"),
        invalid("1:2:3:4:5:6:7:8::"),
        invalid("1:2:3:4::5:6:7:8"), // "::" must stand for at least one group
        invalid("1:2:3:4:5:6:7"),
        invalid(":1:2:3:4:5:6:7"),
        invalid("1:2:3:4:5:6:7:"),
        invalid("12345::"),
        invalid("fe80::1%eth0"),
        invalid("fe80::1%1"),
        invalid("[::1]"),
        invalid("::1 "),
        invalid("g::1"),
        invalid("::1.2.3"),
        invalid("::01.2.3.4"),
        invalid("::1.2.3.4:5"), // a dotted quad only at the end
        invalid("1.2.3.4::"),
        invalid("1:2:3:4:5:6:7:1.2.3.4"),
        invalid("::\uff11"), // a fullwidth digit
        invalid("0000:0000:0000:0000:0000:0000:0000:0000:1")); // nine groups
  }

  @TestFactory
  Stream<DynamicTest> parsesExactlyTheNumericLiterals() {
    return table().map(row -> DynamicTest.dynamicTest(row.literal() + " -> " + row.hex(), () -> {
      if (row.hex() == null) {
        assertThat(IpLiteral.parse(row.literal())).isEmpty();
      } else {
        InetAddress address = IpLiteral.parse(row.literal()).orElseThrow();
        assertThat(hex(address.getAddress())).isEqualTo(row.hex());
        assertThat(address).isInstanceOf(row.hex().length() == 8 ? Inet4Address.class : Inet6Address.class);
      }
    }));
  }

  @Test
  void refusesMoreThan45Characters() {
    assertThat(IpLiteral.parse("0:0:0:0:0:ffff:255.255.255.255")).isPresent();
    assertThat(IpLiteral.parse("0000:0000:0000:0000:0000:ffff:255.255.255.255")).isPresent(); // 45
    assertThat(IpLiteral.parse("0000:0000:0000:0000:0000:ffff:255.255.255.255 ")).isEmpty();
    assertThat(IpLiteral.parse(null)).isEmpty();
  }

  @Test
  void refusesCidrsThatOnlyDnsCouldRead() {
    assertThatThrownBy(() -> Cidr.parse(".::1/128")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse(".:")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("fe80::1%eth0/64")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("010.0.0.0/8")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Cidr.parse("::ffff:10.0.0.0/8").contains(IpLiteral.parse("10.1.2.3").orElseThrow())).isTrue();
    assertThat(Cidr.parse("2001:db8::/32").contains(IpLiteral.parse("2001:db8::1").orElseThrow())).isTrue();
  }

  /**
   * The guarantee behind every row above: main code has no path to the resolver. A host name in a config CIDR or a
   * forwarded header must never be looked up, so no class may call the JDK's name-taking lookups at all.
   */
  @Test
  void mainCodeNeverCallsTheResolver() throws IOException {
    Path main = Path.of(System.getProperty("basedir", "."), "src", "main", "java");
    List<String> offenders;
    try (Stream<Path> files = Files.walk(main)) {
      offenders = files.filter(p -> p.toString().endsWith(".java")).filter(IpLiteralTest::callsResolver)
          .map(main::relativize).map(Path::toString).toList();
    }
    assertThat(main.resolve("io/gatehouse/config/IpLiteral.java")).exists();
    // The one class that looks a name up on purpose: the SIEM collector's configured host (audit.syslog.url), on
    // the forwarder's own thread. It resolves that and nothing else, which its code shows in one line.
    String syslog = "io/gatehouse/audit/syslog/SyslogConnection.java";
    assertThat(Files.readString(main.resolve(syslog))).contains("new InetSocketAddress(target.host(), target.port())")
        .doesNotContain("getByName(").doesNotContain("getAllByName(").doesNotContain("getLocalHost(");
    assertThat(offenders).containsOnly(syslog);
  }

  private static boolean callsResolver(Path file) {
    try {
      String code = Files.readString(file);
      return code.contains("getByName(") || code.contains("getAllByName(") || code.contains("getLocalHost(")
          || code.contains("new InetSocketAddress(");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) b.append(String.format("%02x", x & 0xff));
    return b.toString();
  }
}
