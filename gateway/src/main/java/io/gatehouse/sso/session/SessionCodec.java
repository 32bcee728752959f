package io.gatehouse.sso.session;

import java.util.List;
import java.util.Optional;

/**
 * Turns a {@link Session} into the session cookie's value and back: short-key JSON, DEFLATE-compressed when that
 * makes it shorter (refresh tokens and group names compress well), sealed with the purpose {@value #PURPOSE}.
 *
 * <p>{@link #encode} refuses a value over {@value #MAX_COOKIE_VALUE_BYTES} bytes with a
 * {@link CookieTooLargeException}, so the cookie with its name and attributes stays under the 4 KB browsers keep:
 * one cookie, never split (oauth2-proxy #1902 splits and then overflows n8n's header limit).
 */
public final class SessionCodec {
  public static final String PURPOSE = "session";
  public static final int MAX_COOKIE_VALUE_BYTES = 3800;

  private final CookieSealer sealer;

  /** @param secrets {@code cookie_secret} bytes: current first, then previous ones (open only) */
  public SessionCodec(List<byte[]> secrets) {
    this.sealer = new CookieSealer(PURPOSE, secrets);
  }

  /** The cookie value; throws {@link CookieTooLargeException} when it would be too long for a cookie. */
  public String encode(Session session) {
    byte[] json = new CompactJson.Writer()
        .text("i", session.id())
        .text("s", session.subject())
        .text("e", session.email())
        .text("n", session.name())
        .texts("g", session.groups())
        .bool("m", session.mfa())
        .text("a", session.acr())
        .text("d", session.idpSid())
        .seconds("c", session.createdAt())
        .seconds("l", session.lastSeenAt())
        .seconds("r", session.revalidatedAt())
        .text("t", session.refreshToken())
        .bytes();
    String value = sealer.seal(PayloadCompression.pack(json));
    if (value.length() > MAX_COOKIE_VALUE_BYTES) {
      throw new CookieTooLargeException(value.length(), MAX_COOKIE_VALUE_BYTES);
    }
    return value;
  }

  /** The session, or empty when the value is not a session cookie this gateway sealed with a listed secret. */
  public Optional<Session> decode(String cookieValue) {
    Optional<byte[]> payload = sealer.open(cookieValue);
    if (payload.isEmpty()) return Optional.empty();
    try {
      CompactJson.Reader json = new CompactJson.Reader(PayloadCompression.unpack(payload.get()));
      return Optional.of(new Session(
          json.requiredText("i"),
          json.requiredText("s"),
          json.requiredText("e"),
          json.optionalText("n"),
          json.texts("g"),
          json.bool("m"),
          json.optionalText("a"),
          json.optionalText("d"),
          json.seconds("c"),
          json.seconds("l"),
          json.seconds("r"),
          json.optionalText("t")));
    } catch (CompactJson.Malformed e) {
      return Optional.empty();
    }
  }
}
