package io.gatehouse.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CanonicalBase64UrlTest {
  @Test
  void roundTripsEveryLengthWithoutPadding() {
    for (int length = 0; length < 40; length++) {
      byte[] bytes = new byte[length];
      for (int i = 0; i < length; i++) bytes[i] = (byte) (i * 37 + 250);
      String text = CanonicalBase64Url.encode(bytes);
      assertThat(text).doesNotContain("=", "+", "/");
      assertThat(CanonicalBase64Url.decode(text)).hasValueSatisfying(d -> assertThat(d).isEqualTo(bytes));
    }
  }

  @Test
  void refusesNonZeroUnusedBitsThatTheJdkDecoderIgnores() {
    // "AA" is one zero byte; "AB" sets an unused bit and the JDK decodes it to the same byte.
    assertThat(Base64.getUrlDecoder().decode("AB")).containsExactly(0);
    assertThat(CanonicalBase64Url.decode("AA")).isPresent();
    assertThat(CanonicalBase64Url.decode("AB")).isEmpty();
    assertThat(CanonicalBase64Url.decode("AAA")).isPresent();
    assertThat(CanonicalBase64Url.decode("AAB")).isEmpty();
  }

  @Test
  void refusesPaddingOtherAlphabetsAndImpossibleLengths() {
    assertThat(CanonicalBase64Url.decode("AA==")).isEmpty();
    assertThat(CanonicalBase64Url.decode("a+b/")).isEmpty();
    assertThat(CanonicalBase64Url.decode("AAAAA")).as("length 4n+1").isEmpty();
    assertThat(CanonicalBase64Url.decode("AA AA")).isEmpty();
    assertThat(CanonicalBase64Url.decode("AAé")).isEmpty();
  }

  @Test
  void decodesARange() {
    String text = "xx" + CanonicalBase64Url.encode("hello".getBytes(StandardCharsets.US_ASCII)) + "yy";
    assertThat(new String(CanonicalBase64Url.decodeOrNull(text, 2, text.length() - 2), StandardCharsets.US_ASCII))
        .isEqualTo("hello");
  }
}
