package io.gatehouse.sso.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Secret;
import io.gatehouse.config.SsoConfig;
import io.gatehouse.sso.oidc.OidcProvider;
import io.gatehouse.sso.oidc.TokenEndpoint;
import io.gatehouse.sso.revocation.Revocation;
import io.gatehouse.sso.revocation.SessionRevocations;
import io.gatehouse.sso.session.LoginStateCodec;
import io.gatehouse.sso.session.Session;
import io.gatehouse.sso.session.SessionCodec;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session rules that need no IdP answer: lifetime, revocation, and a revalidation that cannot be made. */
class SessionCheckTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final URI ISSUER = URI.create("http://127.0.0.1:1/realms/none");

  private final Vertx vertx = Vertx.vertx();
  private final SessionRevocations revocations = new SessionRevocations(Duration.ofHours(12));
  private final SessionCheck sessions = new SessionCheck(context());

  @AfterEach void close() {
    vertx.close().await();
  }

  @Test void aSessionDueForRevalidationWithoutARefreshTokenEndsAtOnceEvenWhenTheAnswerIsImmediate() {
    Session session = session(NOW.minusSeconds(600), null);

    // Completes synchronously (nothing to ask the IdP): the single-flight bookkeeping must cope with that.
    Optional<Session> result = sessions.recheck(session).result();

    assertThat(result).isEmpty();
    assertThat(sessions.recheck(session).result()).as("and again: no entry was left behind").isEmpty();
  }

  @Test void aRevokedOrExpiredSessionIsOverAndARecentOneGoesOnWithoutTheIdp() {
    assertThat(sessions.recheck(session(NOW.minusSeconds(10), "refresh")).result()).isPresent();
    Session revoked = session(NOW.minusSeconds(10), "refresh");
    revocations.revoke(Revocation.session(revoked.id(), NOW));
    assertThat(sessions.recheck(revoked).result()).isEmpty();
    Session old = new Session("id-old", "sub", "a@example.test", null, List.of(), false, null, null,
        NOW.minus(Duration.ofHours(13)), NOW, NOW, "refresh");
    assertThat(sessions.recheck(old).result()).as("past max_lifetime").isEmpty();
  }

  private static Session session(Instant revalidatedAt, String refreshToken) {
    return new Session(Session.randomId(new SecureRandom()), "sub-1", "a@example.test", "A", List.of(), false, null,
        null, revalidatedAt, NOW, revalidatedAt, refreshToken);
  }

  private SsoContext context() {
    Secret cookie = new Secret("cookie-secret-for-the-session-check-test-0123", true);
    SsoConfig config = new SsoConfig(ISSUER, "gatehouse", new Secret("client-secret-0123456789", true),
        List.of(cookie), List.of("openid"), "groups",
        new SsoConfig.Session(Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofMinutes(5), Duration.ofMinutes(10),
            "local"),
        Optional.empty(), SsoConfig.ForwardHeaders.DEFAULT, "2");
    List<byte[]> secrets = List.of(cookie.value().getBytes(StandardCharsets.UTF_8));
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    return new SsoContext(config, new OidcProvider(vertx, ISSUER, "gatehouse", "client-secret-0123456789", clock),
        new TokenEndpoint(vertx, "gatehouse", "client-secret-0123456789"), new SessionCodec(secrets),
        new LoginStateCodec(secrets, Duration.ofMinutes(10)), revocations, URI.create("https://localhost"),
        URI.create("https://localhost/_gatehouse/oidc/callback"), Set.of(), null, new SecureRandom(), clock,
        SsoEvents.NONE, SsoAudit.NONE);
  }
}
