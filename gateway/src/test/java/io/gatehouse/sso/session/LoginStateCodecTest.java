package io.gatehouse.sso.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginStateCodecTest {
  private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
  private final SecureRandom random = new SecureRandom();
  private final LoginStateCodec codec =
      new LoginStateCodec(List.of(CookieSealerTest.secret('k')), Duration.ofMinutes(10));

  @Test
  void codeChallengeMatchesRfc7636AppendixB() {
    // The RFC's worked example (its octets of SHA-256 are listed there too).
    assertThat(LoginState.codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }

  @Test
  void aNewLoginHasRandom128BitStateAndNonceAndA43CharacterVerifier() {
    LoginState first = LoginState.start(random, "/workflow/1", NOW);
    LoginState second = LoginState.start(random, "/workflow/1", NOW);

    assertThat(first.state()).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(second.state());
    assertThat(first.nonce()).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(first.state());
    assertThat(first.codeVerifier()).matches("[A-Za-z0-9._~-]{43}").isNotEqualTo(second.codeVerifier());
    assertThat(first.codeChallenge()).isEqualTo(LoginState.codeChallenge(first.codeVerifier()));
  }

  @Test
  void roundTripsWithinItsMaxAge() {
    LoginState login = LoginState.start(random, "/workflow/1?tab=2", NOW);
    String value = codec.encode(login);

    assertThat(codec.decode(value, NOW)).contains(login);
    assertThat(codec.decode(value, NOW.plus(Duration.ofMinutes(10)))).contains(login);
  }

  @Test
  void aStepUpStaysAStepUpThroughTheCookieAndAPlainLoginStaysPlain() {
    LoginState stepUp = LoginState.start(random, "/secure/x", NOW, true);
    LoginState plain = LoginState.start(random, "/app/", NOW);

    assertThat(codec.decode(codec.encode(stepUp), NOW)).hasValueSatisfying(login -> assertThat(login.stepUp()).isTrue());
    assertThat(codec.decode(codec.encode(plain), NOW)).hasValueSatisfying(login -> assertThat(login.stepUp()).isFalse());
  }

  @Test
  void aLoginCookieWithoutTheStepUpMarkIsAPlainLoginAndAMarkOfAnotherTypeDoesNotDecode() {
    // As sealed by a gateway version before the mark (a rolling upgrade): the same fields, no "u".
    CookieSealer sealer = new CookieSealer(LoginStateCodec.PURPOSE, List.of(CookieSealerTest.secret('k')));
    String fields = "\"s\":\"state-0123456789abcdef\",\"n\":\"nonce-0123456789abcdef\",\"v\":\"" + "v".repeat(43)
        + "\",\"r\":\"/secure/x\",\"c\":" + NOW.getEpochSecond();
    String older = sealer.seal(("{" + fields + "}").getBytes(StandardCharsets.UTF_8));
    String wrongType = sealer.seal(("{" + fields + ",\"u\":\"yes\"}").getBytes(StandardCharsets.UTF_8));

    assertThat(codec.decode(older, NOW)).hasValueSatisfying(login -> {
      assertThat(login.stepUp()).isFalse();
      assertThat(login.returnTo()).isEqualTo("/secure/x");
    });
    assertThat(codec.decode(wrongType, NOW)).isEmpty();
  }

  @Test
  void refusesAStateOlderThanItsMaxAgeOrFromTheFuture() {
    String value = codec.encode(LoginState.start(random, "/", NOW));

    assertThat(codec.decode(value, NOW.plus(Duration.ofMinutes(10)).plusSeconds(1))).isEmpty();
    assertThat(codec.decode(value, NOW.minus(Duration.ofMinutes(2)))).isEmpty();
  }

  @Test
  void aSessionCookieIsNotALoginState() {
    SessionCodec sessions = new SessionCodec(List.of(CookieSealerTest.secret('k')));
    String sessionValue = sessions.encode(
        Session.start(random, "sub", "a@example.com", null, List.of(), false, null, null, null, NOW));

    assertThat(codec.decode(sessionValue, NOW)).isEmpty();
  }

  @Test
  void refusesATamperedValue() {
    String value = codec.encode(LoginState.start(random, "/", NOW));
    String tampered = value.substring(0, 10) + (value.charAt(10) == 'A' ? 'B' : 'A') + value.substring(11);

    assertThat(codec.decode(tampered, NOW)).isEmpty();
    assertThat(codec.decode("", NOW)).isEmpty();
  }

  @Test
  void refusesAVerifierOutsideRfc7636() {
    assertThatThrownBy(() -> new LoginState("s", "n", "short", "/", NOW)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoginState("s", "n", "a".repeat(129), "/", NOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoginState("s", "n", "a".repeat(42) + "+", "/", NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringHidesTheSecrets() {
    LoginState login = LoginState.start(random, "/x", NOW);

    assertThat(login.toString()).doesNotContain(login.state(), login.nonce(), login.codeVerifier());
  }
}
