package io.gatehouse.idp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpCodesTest {
  /** RFC 6238 appendix B's SHA-1 vectors (seed "12345678901234567890"), cut to Keycloak's 6 digits. */
  @ParameterizedTest
  @CsvSource({
      "59, 287082",
      "1111111109, 081804",
      "1111111111, 050471",
      "1234567890, 005924",
      "2000000000, 279037",
      "20000000000, 353130"})
  void matchesTheRfc6238Vectors(long epochSecond, String code) {
    assertThat(new TotpCodes("12345678901234567890").codeAt(Instant.ofEpochSecond(epochSecond))).isEqualTo(code);
  }
}
