package io.gatehouse.sso.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@link LoginState} into the login cookie's value and back, sealed with the purpose {@value #PURPOSE}, so
 * a session cookie cannot stand in for it nor it for a session. A state older than {@code maxAge} (or dated more
 * than a minute ahead, another replica's clock) does not decode: an abandoned login cannot be finished later.
 */
public final class LoginStateCodec {
  public static final String PURPOSE = "login";
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  private final CookieSealer sealer;
  private final Duration maxAge;

  /**
   * @param secrets {@code cookie_secret} bytes: current first, then previous ones (open only)
   * @param maxAge how long a browser may take at the IdP, e.g. 10 minutes
   */
  public LoginStateCodec(List<byte[]> secrets, Duration maxAge) {
    if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("maxAge must be positive");
    this.sealer = new CookieSealer(PURPOSE, secrets);
    this.maxAge = maxAge;
  }

  public String encode(LoginState login) {
    return sealer.seal(new CompactJson.Writer()
        .text("s", login.state())
        .text("n", login.nonce())
        .text("v", login.codeVerifier())
        .text("r", login.returnTo())
        .seconds("c", login.createdAt())
        .bool("u", login.stepUp())
        .bytes());
  }

  /** The login state, or empty when the value is not one this gateway sealed, or it is too old at {@code now}. */
  public Optional<LoginState> decode(String cookieValue, Instant now) {
    Optional<byte[]> payload = sealer.open(cookieValue);
    if (payload.isEmpty()) return Optional.empty();
    LoginState login;
    try {
      CompactJson.Reader json = new CompactJson.Reader(payload.get());
      // Absent in the login cookies of a gateway version before step-ups were marked (a rolling upgrade): a plain
      // login, as those were.
      login = new LoginState(json.requiredText("s"), json.requiredText("n"), json.requiredText("v"),
          json.requiredText("r"), json.seconds("c"), json.optionalBool("u", false));
    } catch (CompactJson.Malformed | IllegalArgumentException e) {
      return Optional.empty();
    }
    if (login.createdAt().isAfter(now.plus(CLOCK_SKEW))) return Optional.empty();
    if (login.createdAt().plus(maxAge).isBefore(now)) return Optional.empty();
    return Optional.of(login);
  }
}
