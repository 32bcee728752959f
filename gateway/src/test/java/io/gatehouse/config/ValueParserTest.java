package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValueParserTest {

  @Test
  void parsesDurationsInEveryUnit() {
    assertThat(ValueParser.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ValueParser.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(ValueParser.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ValueParser.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(ValueParser.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void refusesDurationsThatAreZeroFractionalSpacedOrUnitless() {
    for (String bad : new String[] {"0s", "1.5m", "60 s", "10", "-5s", "5M", "s", "", "1w"}) {
      assertThatThrownBy(() -> ValueParser.parseDuration(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"" + bad + "\"");
    }
    assertThatThrownBy(() -> ValueParser.parseDuration("99999999999999999999d"))
        .hasMessageContaining("too large");
  }

  @Test
  void parsesBinaryAndDecimalSizesAndPlainBytes() {
    assertThat(ValueParser.parseSize("512")).isEqualTo(512);
    assertThat(ValueParser.parseSize("512B")).isEqualTo(512);
    assertThat(ValueParser.parseSize("64KiB")).isEqualTo(65_536);
    assertThat(ValueParser.parseSize("16MiB")).isEqualTo(16L * 1024 * 1024);
    assertThat(ValueParser.parseSize("1GiB")).isEqualTo(1L << 30);
    assertThat(ValueParser.parseSize("64KB")).isEqualTo(64_000);
    assertThat(ValueParser.parseSize("16MB")).isEqualTo(16_000_000);
    assertThat(ValueParser.parseSize("0")).isZero();
  }

  @Test
  void refusesMalformedOrOverflowingSizes() {
    for (String bad : new String[] {"16MB2", "64kib", "1.5MiB", "-1", "MiB", "16 MiB", ""}) {
      assertThatThrownBy(() -> ValueParser.parseSize(bad)).as(bad).hasMessageContaining("is not a size");
    }
    assertThatThrownBy(() -> ValueParser.parseSize("99999999999GiB")).hasMessageContaining("too large");
  }

  @Test
  void parsesRatesPerSecondMinuteAndHour() {
    assertThat(ValueParser.parseRate("20/s")).isEqualTo(new Rate(20, Duration.ofSeconds(1)));
    assertThat(ValueParser.parseRate("600/m")).isEqualTo(new Rate(600, Duration.ofMinutes(1)));
    assertThat(ValueParser.parseRate("1000/h")).isEqualTo(new Rate(1000, Duration.ofHours(1)));
  }

  @Test
  void refusesZeroAndMalformedRates() {
    assertThatThrownBy(() -> ValueParser.parseRate("0/s")).hasMessageContaining("zero");
    for (String bad : new String[] {"20", "20/sec", "20 /s", "/s", "1.5/s", "20/d"}) {
      assertThatThrownBy(() -> ValueParser.parseRate(bad)).as(bad).hasMessageContaining("is not a rate");
    }
  }

  @Test
  void parsesListenAddressesIncludingBracketedIpv6AndPortZero() {
    assertThat(ValueParser.parseHostPort("0.0.0.0:8443")).isEqualTo(new HostPort("0.0.0.0", 8443));
    assertThat(ValueParser.parseHostPort("[::1]:8443")).isEqualTo(new HostPort("::1", 8443));
    assertThat(ValueParser.parseHostPort("localhost:9090")).isEqualTo(new HostPort("localhost", 9090));
    assertThat(ValueParser.parseHostPort("127.0.0.1:0")).isEqualTo(new HostPort("127.0.0.1", 0));
    assertThat(ValueParser.parseHostPort("[::1]:8443").toString()).isEqualTo("[::1]:8443");
  }

  @Test
  void refusesListenAddressesWithoutHostOrWithBadPort() {
    for (String bad : new String[] {"8443", ":8443", "::1:8443", "[::1]", "[example]:80", "host:", "host:http",
        "ho st:80", "[::1/64]:80"}) {
      assertThatThrownBy(() -> ValueParser.parseHostPort(bad)).as(bad).hasMessageContaining("is not host:port");
    }
    assertThatThrownBy(() -> ValueParser.parseHostPort("0.0.0.0:65536")).hasMessageContaining("expected 0-65535");
  }

  @Test
  void acceptsOriginOnlyUpstreamUrls() {
    assertThat(ValueParser.parseHttpUrl("http://127.0.0.1:5678", true)).isEqualTo(URI.create("http://127.0.0.1:5678"));
    assertThat(ValueParser.parseHttpUrl("https://n8n.internal/", true).getHost()).isEqualTo("n8n.internal");
    assertThat(ValueParser.parseHttpUrl("http://[::1]:5678", true).getPort()).isEqualTo(5678);
  }

  @Test
  void refusesUpstreamUrlsWithPathQueryCredentialsOrOtherSchemes() {
    assertThatThrownBy(() -> ValueParser.parseHttpUrl("http://h:1/rest", true)).hasMessageContaining("has a path");
    assertThatThrownBy(() -> ValueParser.parseHttpUrl("http://h:1/?a=b", true)).hasMessageContaining("has a path");
    assertThatThrownBy(() -> ValueParser.parseHttpUrl("http://u:p@h:1", true)).hasMessageContaining("credentials");
    assertThatThrownBy(() -> ValueParser.parseHttpUrl("ftp://h", true)).hasMessageContaining("http://");
    assertThatThrownBy(() -> ValueParser.parseHttpUrl("127.0.0.1:5678", true)).hasMessageContaining("http://");
    assertThatThrownBy(() -> ValueParser.parseHttpUrl("http:///x", false)).hasMessageContaining("host");
    assertThatThrownBy(() -> ValueParser.parseHttpUrl("http://bad host", false)).hasMessageContaining("not a URL");
  }

  @Test
  void publicUrlsMayHaveAPath() {
    assertThat(ValueParser.parseHttpUrl("https://idp.example.com/realms/corp", false).getPath())
        .isEqualTo("/realms/corp");
  }
}
