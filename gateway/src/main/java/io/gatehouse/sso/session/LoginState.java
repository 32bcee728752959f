package io.gatehouse.sso.session;

import io.gatehouse.sso.CanonicalBase64Url;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the gateway must remember between sending a browser to the IdP and its return to the callback, kept in a
 * short-lived sealed cookie ({@link LoginStateCodec}) rather than on a replica. {@link #toString()} shows none of
 * the secrets.
 *
 * @param state echoed by the IdP; ties the callback to this browser (CSRF)
 * @param nonce goes into the ID token; ties the token to this login (replay)
 * @param codeVerifier PKCE (RFC 7636 §4.1): 43 to 128 characters of {@code [A-Za-z0-9-._~]}
 * @param returnTo the same-origin path to go back to after the login; the caller validates it
 * @param stepUp whether this login was asked for a second factor ({@code require_mfa}): the callback must not send
 *     the browser back to a page that would only send it to the IdP again
 */
public record LoginState(String state, String nonce, String codeVerifier, String returnTo, Instant createdAt,
    boolean stepUp) {
  private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

  public LoginState {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(returnTo, "returnTo");
    if (codeVerifier == null || !VERIFIER.matcher(codeVerifier).matches()) {
      throw new IllegalArgumentException("a PKCE code verifier is 43 to 128 unreserved characters (RFC 7636 §4.1)");
    }
    createdAt = createdAt.truncatedTo(ChronoUnit.SECONDS);
  }

  /** A plain login (no step-up). */
  public LoginState(String state, String nonce, String codeVerifier, String returnTo, Instant createdAt) {
    this(state, nonce, codeVerifier, returnTo, createdAt, false);
  }

  /** A new login to {@code returnTo}: random state and nonce (128 bits) and verifier (256 bits, 43 characters). */
  public static LoginState start(SecureRandom random, String returnTo, Instant now) {
    return start(random, returnTo, now, false);
  }

  /** As {@link #start(SecureRandom, String, Instant)}, for a step-up to MFA when {@code stepUp}. */
  public static LoginState start(SecureRandom random, String returnTo, Instant now, boolean stepUp) {
    byte[] verifier = new byte[32];
    random.nextBytes(verifier);
    return new LoginState(Session.randomId(random), Session.randomId(random), CanonicalBase64Url.encode(verifier),
        returnTo, now, stepUp);
  }

  /** This login's {@code code_challenge} for {@code code_challenge_method=S256}. */
  public String codeChallenge() {
    return codeChallenge(codeVerifier);
  }

  /** {@code BASE64URL(SHA256(ASCII(verifier)))}, RFC 7636 §4.2. */
  public static String codeChallenge(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return CanonicalBase64Url.encode(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  @Override public String toString() {
    return "LoginState[returnTo=" + returnTo + ", createdAt=" + createdAt + ", stepUp=" + stepUp + "]";
  }
}
