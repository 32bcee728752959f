package io.gatehouse.route;

/** The outcome of {@link PathNormalizer}: a path safe to both match and forward, or a refusal. */
public sealed interface Normalized {

  /**
   * A canonical request target.
   *
   * @param path the normalized path: starts with {@code /}, no dot segments, no empty segments except a trailing
   *     slash, only reserved or non-ASCII octets left percent-encoded (hex in upper case), and
   *     those decode to valid UTF-8
   * @param rawQuery the query exactly as received, without the {@code ?}; null when the target had no {@code ?}
   */
  record Ok(String path, String rawQuery) implements Normalized {
    /** The origin-form target to send upstream: the same path that was matched, and the untouched query. */
    public String target() {
      return rawQuery == null ? path : path + '?' + rawQuery;
    }
  }

  /**
   * The target is malformed or ambiguous and must be refused with 400 {@code bad_request}.
   *
   * @param detail what was wrong, for the audit log only: never sent to the client
   */
  record Rejected(String detail) implements Normalized {}
}
