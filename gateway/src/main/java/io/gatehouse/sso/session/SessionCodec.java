package io.gatehouse.sso.session;

import io.gatehouse.sso.SecretMemo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@link Session} into the session cookie's value and back: short-key JSON, DEFLATE-compressed when that
 * makes it shorter (refresh tokens and group names compress well), sealed with the purpose {@value #PURPOSE}.
 *
 * <p>{@link #encode} refuses a value over {@value #MAX_COOKIE_VALUE_BYTES} bytes with a
 * {@link CookieTooLargeException}, so the cookie with its name and attributes stays under the 4 KB browsers keep:
 * one cookie, never split (oauth2-proxy #1902 splits and then overflows n8n's header limit).
 *
 * <p>A browser sends the same cookie on every request until it changes, and opening it (AES-GCM, inflate, JSON) was
 * about two thirds of a session check's cost. So a cookie value that opened is remembered with its session
 * ({@link SecretMemo}) for at most {@link #OPENED_FOR}. The same
 * bytes always open to the same session, and everything that can end a session (lifetime, idleness, revocation,
 * revalidation) is checked by the caller on every request, not here. A codec is built per config, so a reload that
 * drops a secret drops what was opened with it too.
 */
public final class SessionCodec {
  public static final String PURPOSE = "session";
  public static final int MAX_COOKIE_VALUE_BYTES = 3800;

  static final int OPENED_SESSIONS = 10_000;
  static final Duration OPENED_FOR = Duration.ofMinutes(1);

  private final CookieSealer sealer;
  /** Only values that opened get in, so made-up cookies cannot fill it; about 2 KiB an entry. */
  private final SecretMemo<Session> opened = new SecretMemo<>(OPENED_SESSIONS, OPENED_FOR);

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
    if (cookieValue.length() > MAX_COOKIE_VALUE_BYTES) return Optional.empty();
    Session known = opened.get(cookieValue);
    if (known != null) return Optional.of(known);
    Optional<Session> session = open(cookieValue);
    session.ifPresent(s -> opened.put(cookieValue, s));
    return session;
  }

  private Optional<Session> open(String cookieValue) {
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
