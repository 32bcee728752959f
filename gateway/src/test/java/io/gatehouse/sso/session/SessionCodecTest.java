package io.gatehouse.sso.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.sso.CanonicalBase64Url;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SessionCodecTest {
  private static final Instant LOGIN = Instant.parse("2026-03-01T09:00:00.750Z");
  private final SecureRandom random = new SecureRandom();
  private final SessionCodec codec = new SessionCodec(List.of(CookieSealerTest.secret('s')));

  @Test
  void roundTripsEveryField() {
    Session session = new Session("id-1", "sub-1", "alice@example.com", "Alice Ä", List.of("n8n-users", "admins"),
        true, "urn:mfa", "sid-9", LOGIN, LOGIN.plusSeconds(60), LOGIN.plusSeconds(30), "refresh-token");

    assertThat(codec.decode(codec.encode(session))).contains(session);
  }

  /** What opened once is remembered; anything else, a one-character change included, is opened (and refused). */
  @Test
  void aCookieOpensAgainFromMemoryAndAChangedOneIsNeverTakenForIt() {
    Session session = Session.start(random, "sub-3", "carol@example.com", "Carol", List.of(), false, null, null,
        "refresh", LOGIN);
    String value = codec.encode(session);
    assertThat(codec.decode(value)).contains(session);
    assertThat(codec.decode(value)).as("again").contains(session);

    for (int i = 0; i < value.length(); i += 7) {
      char c = value.charAt(i);
      String changed = value.substring(0, i) + (c == 'A' ? 'B' : 'A') + value.substring(i + 1);
      assertThat(codec.decode(changed)).as("changed at %d", i).isEmpty();
    }
    assertThat(new SessionCodec(List.of(CookieSealerTest.secret('t'))).decode(value))
        .as("a codec without the secret (a reload that dropped it)").isEmpty();
  }

  @Test
  void roundTripsAbsentOptionalFields() {
    Session session = Session.start(random, "sub-2", "bob@example.com", null, List.of(), false, null, null, null,
        LOGIN);

    Session decoded = codec.decode(codec.encode(session)).orElseThrow();
    assertThat(decoded).isEqualTo(session);
    assertThat(decoded.name()).isNull();
    assertThat(decoded.refreshToken()).isNull();
    assertThat(decoded.createdAt()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
  }

  @Test
  void aSessionWithA1500ByteRefreshTokenAnd40GroupsFitsInOneCookie() {
    Session session = largeSession(randomToken(1500), 40);

    String value = codec.encode(session);

    assertThat(value.length()).isLessThanOrEqualTo(SessionCodec.MAX_COOKIE_VALUE_BYTES);
    assertThat(codec.decode(value)).contains(session);
  }

  @Test
  void refusesToEncodeASessionOverTheCookieLimitWithoutShowingItsContent() {
    // Random base64url text deflates to about 3/4, so 5000 characters seal to well over the limit.
    String token = randomToken(5000);
    Session session = largeSession(token, 40);

    assertThatThrownBy(() -> codec.encode(session))
        .isInstanceOf(CookieTooLargeException.class)
        .satisfies(e -> assertThat(((CookieTooLargeException) e).length())
            .isGreaterThan(SessionCodec.MAX_COOKIE_VALUE_BYTES))
        .message().doesNotContain(token.substring(0, 20)).doesNotContain("alice");
  }

  @Test
  void theLimitIsOnTheCookieValueLength() {
    // Grow the refresh token until encoding refuses: the last value that encodes is at most the limit.
    int length = 1500;
    String last = null;
    while (true) {
      try {
        last = codec.encode(largeSession(randomToken(length), 40));
        length += 50;
      } catch (CookieTooLargeException e) {
        break;
      }
    }
    assertThat(last).isNotNull();
    assertThat(last.length()).isLessThanOrEqualTo(SessionCodec.MAX_COOKIE_VALUE_BYTES)
        .isGreaterThan(SessionCodec.MAX_COOKIE_VALUE_BYTES - 200);
  }

  @Test
  void refusesATamperedCookie() {
    String value = codec.encode(largeSession("rt", 3));
    byte[] raw = CanonicalBase64Url.decode(value).orElseThrow();
    for (int i = 0; i < raw.length; i++) {
      byte[] tampered = raw.clone();
      tampered[i] ^= 0x01;
      assertThat(codec.decode(CanonicalBase64Url.encode(tampered))).as("byte %d", i).isEmpty();
    }
  }

  @Test
  void aLoginStateCookieIsNotASessionCookie() {
    LoginStateCodec logins = new LoginStateCodec(List.of(CookieSealerTest.secret('s')), Duration.ofMinutes(10));
    String loginValue = logins.encode(LoginState.start(random, "/home", LOGIN));

    assertThat(codec.decode(loginValue)).isEmpty();
  }

  @Test
  void aSealedPayloadThatIsNotASessionDecodesEmpty() {
    CookieSealer sameKeys = new CookieSealer(SessionCodec.PURPOSE, List.of(CookieSealerTest.secret('s')));
    for (String json : List.of("{}", "[]", "null", "{\"i\":1}", "{\"i\":\"a\",\"i\":\"b\"}", "not json")) {
      byte[] packed = ("\0" + json).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(codec.decode(sameKeys.seal(packed))).as(json).isEmpty();
    }
    assertThat(codec.decode(sameKeys.seal(new byte[] {1, 2, 3, 4}))).as("bad deflate").isEmpty();
    assertThat(codec.decode(sameKeys.seal(new byte[] {7}))).as("unknown format").isEmpty();
    assertThat(codec.decode(sameKeys.seal(new byte[0]))).isEmpty();
  }

  @Test
  void updatersKeepTheRestOfTheSession() {
    Session session = largeSession("old-refresh", 2);
    Instant later = Instant.parse("2026-03-01T09:05:00Z");

    Session seen = session.withLastSeen(later);
    assertThat(seen.lastSeenAt()).isEqualTo(later);
    assertThat(seen).usingRecursiveComparison().ignoringFields("lastSeenAt").isEqualTo(session);

    Session revalidated = session.withRevalidation(later, null, List.of("n8n-users"), true, "urn:mfa");
    assertThat(revalidated.refreshToken()).as("IdP did not rotate").isEqualTo("old-refresh");
    assertThat(revalidated.revalidatedAt()).isEqualTo(later);
    assertThat(revalidated.groups()).containsExactly("n8n-users");
    assertThat(revalidated.mfa()).isTrue();
    assertThat(revalidated.id()).isEqualTo(session.id());
    assertThat(session.withRevalidation(later, "new", List.of(), false, null).refreshToken()).isEqualTo("new");
  }

  @Test
  void toStringLeavesOutTheRefreshTokenAndPersonalFields() {
    Session session = largeSession("secret-refresh-token", 1);

    assertThat(session.toString()).doesNotContain("secret-refresh-token", "alice@example.com", session.id());
  }

  private Session largeSession(String refreshToken, int groupCount) {
    List<String> groups = new ArrayList<>();
    IntStream.range(0, groupCount).forEach(i -> groups.add(String.format("/corp/engineering/team-%02d", i)));
    return Session.start(random, "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "alice@example.com", "Alice Example",
        groups, true, "urn:keycloak:acr:mfa", "e3b0c442-98fc-1c14-9afb-f4c8996fb924", refreshToken, LOGIN);
  }

  /** Refresh tokens are base64url text: random bytes encoded are the hardest such text to compress. */
  private String randomToken(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return CanonicalBase64Url.encode(bytes).substring(0, length);
  }
}
