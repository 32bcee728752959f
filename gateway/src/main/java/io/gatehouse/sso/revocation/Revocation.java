package io.gatehouse.sso.revocation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One ended session, or set of sessions, as replicas tell each other: a Gatehouse session (a logout), an IdP session
 * (a back-channel logout's {@code sid}), or every session of a person that started at or before {@code at} (a
 * back-channel logout with only {@code sub}).
 *
 * @param value the session id, the IdP's {@code sid} or the subject
 * @param at when it was revoked; for {@link Kind#SUBJECT}, sessions created up to then end
 */
public record Revocation(Kind kind, String value, Instant at) {
  public enum Kind {
    SESSION("session"), IDP_SESSION("sid"), SUBJECT("subject");

    final String word;

    Kind(String word) {
      this.word = word;
    }

    static Optional<Kind> ofWord(String word) {
      for (Kind kind : values()) if (kind.word.equals(word)) return Optional.of(kind);
      return Optional.empty();
    }
  }

  public Revocation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(at, "at");
  }

  public static Revocation session(String id, Instant at) { return new Revocation(Kind.SESSION, id, at); }
  public static Revocation idpSession(String sid, Instant at) { return new Revocation(Kind.IDP_SESSION, sid, at); }
  public static Revocation subject(String subject, Instant at) { return new Revocation(Kind.SUBJECT, subject, at); }

  /**
   * The message replicas publish: {@code <kind> <epoch millis> <value>}. The value comes last and is taken whole, so
   * whatever characters an IdP puts in a {@code sub} or {@code sid} survive.
   */
  String toMessage() {
    return kind.word + " " + at.toEpochMilli() + " " + value;
  }

  /** Empty for a message that is not one of ours (or from a newer version that added a kind). */
  static Optional<Revocation> fromMessage(String message) {
    int first = message.indexOf(' ');
    int second = first < 0 ? -1 : message.indexOf(' ', first + 1);
    if (second < 0 || second == message.length() - 1) return Optional.empty();
    Optional<Kind> kind = Kind.ofWord(message.substring(0, first));
    if (kind.isEmpty()) return Optional.empty();
    try {
      Instant at = Instant.ofEpochMilli(Long.parseLong(message.substring(first + 1, second)));
      return Optional.of(new Revocation(kind.get(), message.substring(second + 1), at));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
