package io.gatehouse.sso.jwt;

import static io.gatehouse.sso.jwt.TestTokens.ISSUER;
import static io.gatehouse.sso.jwt.TestTokens.claims;
import static io.gatehouse.sso.jwt.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerRequirementsTest {
  private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
  private static final TestKey KEY = TestKey.ed25519("k");
  private final JwtVerifier verifier =
      new JwtVerifier(ISSUER, new CountingJwksSource(List.of(KEY.jwk())), Duration.ZERO, new MutableClock(NOW));
  private final BearerRequirements route = new BearerRequirements("n8n-api", List.of("n8n:api"));

  @Test
  void passesATokenForTheAudienceWithTheScopes() {
    assertThat(route.check(jwt(claims(NOW)))).isEmpty();
  }

  @Test
  void aTokenWithoutAudFails() {
    String noAud = claims(NOW).replace("\"aud\":\"n8n-api\",", "");

    assertThat(route.check(jwt(noAud))).contains(JwtRefusal.WRONG_AUDIENCE);
  }

  @Test
  void aTokenForAnotherAudienceFailsAndOneListingOursAmongOthersPasses() {
    assertThat(route.check(jwt(claims(NOW).replace("\"aud\":\"n8n-api\"", "\"aud\":\"other-api\""))))
        .contains(JwtRefusal.WRONG_AUDIENCE);
    assertThat(route.check(jwt(claims(NOW).replace("\"aud\":\"n8n-api\"", "\"aud\":[\"n8n-api-x\",\"N8N-API\"]"))))
        .contains(JwtRefusal.WRONG_AUDIENCE);
    assertThat(route.check(jwt(claims(NOW).replace("\"aud\":\"n8n-api\"", "\"aud\":[\"account\",\"n8n-api\"]"))))
        .isEmpty();
  }

  @Test
  void aTokenMissingARequiredScopeFails() {
    String fewer = claims(NOW).replace("\"scope\":\"openid n8n:api\"", "\"scope\":\"openid n8n:apix\"");
    String none = claims(NOW).replace(",\"scope\":\"openid n8n:api\"", "");
    BearerRequirements two = new BearerRequirements("n8n-api", List.of("n8n:api", "n8n:admin"));

    assertThat(route.check(jwt(fewer))).contains(JwtRefusal.MISSING_SCOPE);
    assertThat(route.check(jwt(none))).contains(JwtRefusal.MISSING_SCOPE);
    assertThat(two.check(jwt(claims(NOW)))).contains(JwtRefusal.MISSING_SCOPE);
  }

  @Test
  void readsScopesFromScpAsAnArrayOrAString() {
    String scpArray = claims(NOW).replace("\"scope\":\"openid n8n:api\"", "\"scp\":[\"n8n:api\"]");
    String scpString = claims(NOW).replace("\"scope\":\"openid n8n:api\"", "\"scp\":\"a n8n:api\"");

    assertThat(route.check(jwt(scpArray))).isEmpty();
    assertThat(route.check(jwt(scpString))).isEmpty();
  }

  @Test
  void noRequiredScopesNeedsOnlyTheAudience() {
    String none = claims(NOW).replace(",\"scope\":\"openid n8n:api\"", "");

    assertThat(new BearerRequirements("n8n-api", List.of()).check(jwt(none))).isEqualTo(Optional.empty());
  }

  private VerifiedJwt jwt(String claims) {
    JwtResult result = verifier.verify(token("EdDSA", KEY, claims)).result();
    assertThat(result).isInstanceOf(JwtResult.Verified.class);
    return ((JwtResult.Verified) result).jwt();
  }
}
