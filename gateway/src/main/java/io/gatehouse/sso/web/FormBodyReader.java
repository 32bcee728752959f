package io.gatehouse.sso.web;

import io.gatehouse.core.BodyBudget;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.Reason;
import io.gatehouse.guard.BodyReader;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the small form-encoded body of a request to one of Gatehouse's own endpoints (a back-channel logout's
 * {@code logout_token}) through the guards' {@link BodyReader}: at most {@link #MAX_BYTES}, within {@link #TIMEOUT},
 * charged to the buffered-body budget, never trusting the declared length.
 */
final class FormBodyReader {
  static final int MAX_BYTES = 16 * 1024;
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Why the body was not read: the request is refused with {@link #reason()}. */
  static final class Unreadable extends RuntimeException {
    private final Reason reason;

    Unreadable(Reason reason, String why) {
      super(why, null, false, false);
      this.reason = reason;
    }

    Reason reason() { return reason; }
  }

  private FormBodyReader() {}

  static Future<Map<String, List<String>>> read(Exchange exchange, BodyBudget budget) {
    String type = exchange.request().headers().get("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return Future.failedFuture(new Unreadable(Reason.BAD_REQUEST, "body is not form-encoded"));
    }
    return BodyReader.read(exchange, chunk -> { }, MAX_BYTES, budget, TIMEOUT).transform(read -> {
      if (read.failed()) {
        Reason reason = read.cause() instanceof BodyReader.Refused refused ? refused.reason() : Reason.BAD_REQUEST;
        return Future.failedFuture(new Unreadable(reason, "form body not read: " + read.cause().getMessage()));
      }
      String text = new String(read.result().bytes(), StandardCharsets.UTF_8);
      return Future.succeededFuture(new QueryStringDecoder(text, StandardCharsets.UTF_8, false, 16).parameters());
    });
  }
}
