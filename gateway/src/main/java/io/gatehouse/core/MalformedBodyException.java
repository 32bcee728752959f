package io.gatehouse.core;

/**
 * A request body whose framing the gateway refused while decoding it: a chunked body that two HTTP parsers could
 * split differently (a chunk size too long for a 63-bit number, a bare LF, data longer than its size line said), or
 * one whose chunk sizes add up past {@code max_body}. Whoever reads the body turns it into a refusal with
 * {@link #reason()}; the connection is closed either way, since nothing after such a body can be framed.
 *
 * <p>The message is a short detail for the audit log, never request bytes.
 */
public final class MalformedBodyException extends RuntimeException {
  private final boolean overMaxBody;

  public MalformedBodyException(String detail, boolean overMaxBody) {
    super(detail, null, false, false);
    this.overMaxBody = overMaxBody;
  }

  /** Whether the body was refused for its size (413) rather than for malformed framing (400). */
  public boolean overMaxBody() {
    return overMaxBody;
  }

  /** {@link Reason#BODY_TOO_LARGE} over {@code max_body}, {@link Reason#BAD_REQUEST} for malformed framing. */
  public Reason reason() {
    return overMaxBody ? Reason.BODY_TOO_LARGE : Reason.BAD_REQUEST;
  }
}
