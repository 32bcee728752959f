package io.gatehouse.sso.session;

import io.gatehouse.sso.CanonicalBase64Url;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * A signed-in person as the session cookie carries it, so any replica can check a request without shared state.
 *
 * <p>{@code groups} holds only the groups the config's rules name (the caller filters), which keeps the cookie under
 * 4 KB however many groups the IdP lists. Instants keep whole seconds: that is all the timeouts need, and it is what
 * survives {@link SessionCodec}. {@link #toString()} leaves out the refresh token and the personal fields.
 *
 * @param id random 128-bit base64url, names the session for revocation (back-channel logout)
 * @param idpSid the ID token's {@code sid}, matched by back-channel logout; null when the IdP sent none
 * @param revalidatedAt when the IdP last confirmed the person (login or refresh)
 * @param refreshToken used every {@code revalidate_every}; null when the IdP issued none
 */
public record Session(
    String id,
    String subject,
    String email,
    String name,
    List<String> groups,
    boolean mfa,
    String acr,
    String idpSid,
    Instant createdAt,
    Instant lastSeenAt,
    Instant revalidatedAt,
    String refreshToken) {

  public Session {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(email, "email");
    groups = List.copyOf(groups);
    createdAt = createdAt.truncatedTo(ChronoUnit.SECONDS);
    lastSeenAt = lastSeenAt.truncatedTo(ChronoUnit.SECONDS);
    revalidatedAt = revalidatedAt.truncatedTo(ChronoUnit.SECONDS);
  }

  /** A session that starts {@code now}, just after a login, with a fresh random id. */
  public static Session start(SecureRandom random, String subject, String email, String name, List<String> groups,
      boolean mfa, String acr, String idpSid, String refreshToken, Instant now) {
    return new Session(randomId(random), subject, email, name, groups, mfa, acr, idpSid, now, now, now, refreshToken);
  }

  /** 128 random bits, base64url: the shape of session ids, {@code state} and {@code nonce}. */
  public static String randomId(SecureRandom random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return CanonicalBase64Url.encode(bytes);
  }

  /** The same session, used again at {@code at} (for the idle timeout). */
  public Session withLastSeen(Instant at) {
    return new Session(id, subject, email, name, groups, mfa, acr, idpSid, createdAt, at, revalidatedAt, refreshToken);
  }

  /**
   * The same session after the IdP confirmed it again at {@code at} with a refresh.
   *
   * @param newRefreshToken the refresh token the IdP returned, or null to keep the current one (not every IdP
   *     rotates them)
   */
  public Session withRevalidation(Instant at, String newRefreshToken, List<String> groups, boolean mfa, String acr) {
    String refresh = newRefreshToken != null ? newRefreshToken : refreshToken;
    return new Session(id, subject, email, name, groups, mfa, acr, idpSid, createdAt, at, at, refresh);
  }

  @Override public String toString() {
    return "Session[subject=" + subject + ", groups=" + groups + ", mfa=" + mfa + ", createdAt=" + createdAt
        + ", lastSeenAt=" + lastSeenAt + ", revalidatedAt=" + revalidatedAt + "]";
  }
}
