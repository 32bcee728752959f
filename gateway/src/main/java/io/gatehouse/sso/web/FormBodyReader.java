package io.gatehouse.sso.web;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.Reason;
import io.gatehouse.http.ClientRequest;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads the small form-encoded body of a request to one of Gatehouse's own endpoints (a back-channel logout's
 * {@code logout_token}): at most {@link #MAX_BYTES}, within {@link #TIMEOUT}, never trusting the declared length.
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

  static Future<Map<String, List<String>>> read(Exchange exchange) {
    ClientRequest request = exchange.request();
    String type = request.headers().get("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return Future.failedFuture(new Unreadable(Reason.BAD_REQUEST, "body is not form-encoded"));
    }
    Promise<Map<String, List<String>>> done = Promise.promise();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    exchange.deadline().start(TIMEOUT, () -> {
      request.pause();
      done.tryFail(new Unreadable(Reason.REQUEST_TIMEOUT, "form body not read in time"));
    });
    request.handler((ByteBuf chunk) -> {
      try {
        if (done.future().isComplete()) return;
        exchange.addBytesIn(chunk.readableBytes());
        if (body.size() + chunk.readableBytes() > MAX_BYTES) {
          request.pause();
          done.tryFail(new Unreadable(Reason.BODY_TOO_LARGE, "form body over " + MAX_BYTES + " bytes"));
          return;
        }
        byte[] bytes = new byte[chunk.readableBytes()];
        chunk.readBytes(bytes);
        body.writeBytes(bytes);
      } finally {
        chunk.release();
      }
    });
    request.endHandler(() -> {
      exchange.deadline().clear();
      String text = body.toString(StandardCharsets.UTF_8);
      done.tryComplete(new QueryStringDecoder(text, StandardCharsets.UTF_8, false, 16).parameters());
    });
    request.exceptionHandler(e -> {
      exchange.deadline().clear();
      done.tryFail(new Unreadable(Reason.CLIENT_CLOSED, "client gone while sending the form"));
    });
    request.resume();
    return done.future();
  }
}
