package io.gatehouse.sso.jwt;

import static io.gatehouse.sso.jwt.TestTokens.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.sso.web.LogoutTokenRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a back-channel logout token must carry past its signature (OIDC Back-Channel Logout 1.0 §2.4, §2.6), with
 * tokens signed by a test key and verified by the real {@link JwtVerifier}.
 */
class LogoutTokenRulesTest {
  private static final TestKey KEY = TestKey.rsa("logout-key");
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final String CLIENT = "gatehouse";
  private static final String EVENTS = "\"events\":{\"" + LogoutTokenRules.EVENT + "\":{}}";

  private final JwtVerifier verifier = new JwtVerifier(ISSUER, new CountingJwksSource(List.of(KEY.jwk())),
      Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC));

  @BeforeEach void loadKeys() throws Exception {
    verifier.refresh().await(5, TimeUnit.SECONDS);
  }

  @Test void aLogoutTokenForThisClientWithSidOrSubPasses() {
    assertThat(violation(claims(EVENTS + ",\"sid\":\"idp-session-1\""))).isEmpty();
    assertThat(violation(claims(EVENTS + ",\"sub\":\"user-1\""))).isEmpty();
  }

  @Test void tokensThatAreNotLogoutTokensForUsAreRefused() {
    assertThat(violation(claims(",\"sid\":\"s\""))).contains("logout token without the back-channel logout event");
    assertThat(violation(claims(",\"events\":{\"other\":{}},\"sid\":\"s\"")))
        .contains("logout token without the back-channel logout event");
    assertThat(violation(claims(EVENTS))).contains("logout token names neither sid nor sub");
    assertThat(violation(claims(EVENTS + ",\"sid\":\"s\",\"nonce\":\"n\""))).contains("logout token carries a nonce");
    assertThat(violation(token("\"aud\":\"someone-else\",\"iat\":" + NOW.getEpochSecond()
        + ",\"jti\":\"j\"," + EVENTS + ",\"sid\":\"s\""))).contains("logout token not for this client");
    assertThat(violation(token("\"aud\":\"" + CLIENT + "\",\"iat\":" + NOW.minusSeconds(600).getEpochSecond()
        + ",\"jti\":\"j\"," + EVENTS + ",\"sid\":\"s\""))).contains("logout token without a recent iat");
    assertThat(violation(token("\"aud\":\"" + CLIENT + "\",\"iat\":" + NOW.getEpochSecond()
        + "," + EVENTS + ",\"sid\":\"s\""))).contains("logout token without jti");
  }

  private Optional<String> violation(String token) {
    JwtResult result = verifier.verify(token).result();
    assertThat(result).as("signature, issuer and times").isInstanceOf(JwtResult.Verified.class);
    return LogoutTokenRules.violation(((JwtResult.Verified) result).jwt(), CLIENT, NOW);
  }

  private static String claims(String extra) {
    return token("\"aud\":\"" + CLIENT + "\",\"iat\":" + NOW.getEpochSecond() + ",\"jti\":\"jti-1\""
        + (extra.startsWith(",") ? extra : "," + extra));
  }

  private static String token(String members) {
    return TestTokens.token("RS256", KEY, "{\"iss\":\"" + ISSUER + "\",\"exp\":" + (NOW.getEpochSecond() + 120)
        + "," + members + "}");
  }
}
