package io.gatehouse.core;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * What a guard decided: a whole answer. A pass may carry the identity it established and headers for the client's
 * response (a refreshed session cookie); a refusal carries its status, its reason and the headers it needs
 * ({@code WWW-Authenticate}, {@code Retry-After}, or for a browser sent to log in, {@code Location} and
 * {@code Set-Cookie}). No guard writes to the response itself.
 */
public sealed interface Verdict {
  record Pass(Optional<Identity> identity, ResponseHeaders headers) implements Verdict {}

  /**
   * @param status the HTTP status: the reason's own, or 302 for a redirect
   * @param reason what the audit log and metrics record, also for a redirect (e.g. {@code unauthenticated})
   */
  record Refuse(int status, Reason reason, ResponseHeaders headers) implements Verdict {
    public Refuse(Reason reason) {
      this(reason.status(), reason, ResponseHeaders.NONE);
    }

    /** Whether this sends a browser elsewhere (to the IdP) rather than showing a refusal. */
    public boolean isRedirect() {
      return status == 302 || status == 303;
    }
  }

  Future<Verdict> PASS = Future.succeededFuture(new Pass(Optional.empty(), ResponseHeaders.NONE));

  static Future<Verdict> pass(Identity identity, ResponseHeaders headers) {
    return Future.succeededFuture(new Pass(Optional.of(identity), headers));
  }

  static Future<Verdict> refuse(Reason reason) {
    return Future.succeededFuture(new Refuse(reason));
  }

  static Future<Verdict> refuse(Reason reason, ResponseHeaders headers) {
    return Future.succeededFuture(new Refuse(reason.status(), reason, headers));
  }

  /**
   * A browser navigation sent to {@code location} with 302 (never a URL taken from the request: the caller builds
   * it), recorded as {@code reason}.
   */
  static Future<Verdict> redirect(Reason reason, String location, ResponseHeaders headers) {
    return Future.succeededFuture(new Refuse(302, reason, ResponseHeaders.of("Location", location).and(headers)));
  }
}
