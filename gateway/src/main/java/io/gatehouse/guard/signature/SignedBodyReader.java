package io.gatehouse.guard.signature;

import io.gatehouse.route.Exchange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a paused request body that must be verified before it is forwarded: each chunk goes to the
 * {@link SignatureScheme.Verification} as it arrives (so a large body never costs one long HMAC on the event loop)
 * and is kept, up to {@code max_body}, so the forwarder can send exactly these bytes afterwards.
 */
final class SignedBodyReader {
  /** The body ran past {@code max_body}: the request must be refused with 413 and the rest left unread. */
  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("body over max_body", null, false, false);
    }
  }

  private SignedBodyReader() {}

  /** Completes with the whole body; fails with {@link TooLarge} past {@code maxBody}, or with the stream's error. */
  static Future<Buffer> read(Exchange exchange, SignatureScheme.Verification verification, long maxBody) {
    HttpServerRequest request = exchange.request();
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer(initialCapacity(request.getHeader(HttpHeaders.CONTENT_LENGTH), maxBody));
    request.handler(chunk -> {
      if (done.future().isComplete()) return;
      exchange.addBytesIn(chunk.length());
      if (exchange.bytesIn() > maxBody) {
        // Stop reading; the refusal closes the connection (HTTP/1.x) or resets the stream (HTTP/2).
        request.pause();
        done.tryFail(new TooLarge());
        return;
      }
      verification.update(chunk);
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> done.tryComplete(body));
    request.exceptionHandler(done::tryFail);
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      // The signature headers have been read and the declared length fits: only now is the body invited.
      request.response().writeContinue();
    }
    request.resume();
    return done.future();
  }

  /** The declared length (checked against max_body at classify) or a small start; never more than 16 MiB ahead. */
  private static int initialCapacity(String declared, long maxBody) {
    if (declared == null) return 4096;
    try {
      return (int) Math.min(Math.min(Long.parseLong(declared), maxBody), 16L << 20);
    } catch (NumberFormatException e) {
      return 4096;
    }
  }
}
