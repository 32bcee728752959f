package io.gatehouse.sso.jwt;

import static io.gatehouse.sso.jwt.TestTokens.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.sso.oidc.IdTokenClaims;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a login takes from a verified ID token: MFA only from a real second factor, and no unverified email. */
class IdTokenClaimsTest {
  private static final TestKey KEY = TestKey.rsa("id-key");
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private final JwtVerifier verifier = new JwtVerifier(ISSUER, new CountingJwksSource(List.of(KEY.jwk())),
      Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC));

  @BeforeEach void loadKeys() throws Exception {
    verifier.refresh().await(5, TimeUnit.SECONDS);
  }

  @Test void onlyASecondFactorOrTheConfiguredAcrIsMfa() {
    assertThat(claims(",\"amr\":[\"pwd\",\"otp\"]").mfa()).isTrue();
    assertThat(claims(",\"acr\":\"mfa\"").mfa()).isTrue();
    assertThat(claims(",\"amr\":[\"pwd\"],\"acr\":\"password\"").mfa()).isFalse();
    assertThat(claims(",\"amr\":[\"user\"]").mfa()).as("a presence test is no second factor").isFalse();
  }

  @Test void anEmailTheIdpMarksUnverifiedIsRefused() {
    assertThatThrownBy(() -> claims(",\"email_verified\":false")).isInstanceOf(IdTokenClaims.Rejected.class);
    assertThat(claims(",\"email_verified\":true").email()).isEqualTo("a@example.test");
  }

  private IdTokenClaims claims(String extra) {
    String token = TestTokens.token("RS256", KEY, "{\"iss\":\"" + ISSUER + "\",\"sub\":\"u1\",\"aud\":\"gatehouse\","
        + "\"exp\":" + (NOW.getEpochSecond() + 300) + ",\"iat\":" + NOW.getEpochSecond()
        + ",\"nonce\":\"n1\",\"email\":\"a@example.test\"" + extra + "}");
    VerifiedJwt jwt = ((JwtResult.Verified) verifier.verify(token).result()).jwt();
    return IdTokenClaims.from(jwt, "gatehouse", "n1", "groups", Set.of(), "mfa");
  }
}
