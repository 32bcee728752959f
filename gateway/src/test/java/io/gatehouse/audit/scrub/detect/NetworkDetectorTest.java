package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.DetectorAssert.found;
import static io.gatehouse.audit.scrub.detect.DetectorAssert.findsWhole;
import static io.gatehouse.audit.scrub.detect.DetectorAssert.refuses;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetworkDetectorTest {
  @Test
  void findsIpv4AddressesAndRefusesOctetsOutOfRangeOrPadded() {
    Ipv4Detector ip = new Ipv4Detector();
    findsWhole(ip, "10.1.2.3", "255.255.255.255", "0.0.0.0", "192.168.0.1");
    refuses(ip, false, "256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", "1.2.3.4a");
  }

  @Test
  void parsesIpv6StrictlyInEveryTextForm() {
    Ipv6Detector ip = new Ipv6Detector();
    findsWhole(ip, "2001:db8::1", "::1", "fe80::1%eth0", "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        "::ffff:192.0.2.128", "1:2:3:4:5:6:7:8", "1::", "9ece:a4d:2333:4ed9:2173:9a7e:b698:bdaa",
        "64:ff9b::192.0.2.33");
    refuses(ip, false, "12:30:45", "00:1a:2b:3c:4d:5e", "1:2:3:4:5:6:7:8:9", "2001:db8:::1", "1::2::3",
        "12345::1", "1:2:3:4:5:6:7:1.2.3.4", "g::1", "::ffff:999.0.0.1");
    assertThat(found(ip, "fe80::1.", 0, false)).isEqualTo("fe80::1");
  }

  @Test
  void findsEmailAddressesFromTheirAtSign() {
    EmailDetector email = new EmailDetector();
    findsWhole(email, "john.smith@example.com", "o'neil+tag@mail.co.uk", "a_b-c@x-y.org");
    refuses(email, false, "john@localhost", "@example.com", "john@example.c0m", "john@-x.com");
    char[] text = "write to john.smith@example.com.".toCharArray();
    long span = EmailDetector.around(text, new String(text).indexOf('@'), 0, text.length);
    assertThat(new String(text, (int) (span >>> 32), (int) span - (int) (span >>> 32)))
        .isEqualTo("john.smith@example.com");
  }

  @Test
  void findsUrlsWithoutTheirSentencePunctuation() {
    UrlDetector url = new UrlDetector();
    findsWhole(url, "https://portal.example.com/p?id=1&x=2#top", "http://www.x.us:52223/a", "www.example.org/a");
    assertThat(found(url, "https://example.com/a).", 0, false)).isEqualTo("https://example.com/a");
    refuses(url, false, "https:/example.com", "example.com", "1http://x");
  }
}
