package io.gatehouse.guard;

import io.gatehouse.core.BodyBudget;
import io.gatehouse.core.BufferedBody;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.Reason;
import io.gatehouse.http.ClientGoneException;
import io.gatehouse.http.ClientRequest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a paused request body that a guard must see whole before it is forwarded (a signed webhook, a break-glass
 * login): each chunk goes to {@code eachChunk} as it arrives (so a large body never costs one long HMAC on the event
 * loop) and is kept, so the forwarder can send exactly these bytes afterwards.
 *
 * <p>Memory is bounded three ways, none of them trusting the declared length: the route's {@code max_body}, the
 * process-wide {@link BodyBudget} (charged per chunk as it arrives and held until the body has been forwarded), and
 * {@code request_body}, the time the whole body may take, so a client cannot hold its share by sending slowly.
 */
public final class BodyReader {
  /** Why reading stopped: the request must be refused with {@link #reason()} and the rest left unread. */
  public static final class Refused extends RuntimeException {
    private final Reason reason;

    Refused(Reason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }

    public Reason reason() { return reason; }
  }

  private BodyReader() {}

  /**
   * Completes with the whole body; fails with {@link Refused} (too large, over the budget, too slow, client gone) or,
   * for anything unexpected, with the stream's error.
   */
  public static Future<BufferedBody> read(Exchange exchange, Consumer<Buffer> eachChunk, long maxBody,
      BodyBudget budget, Duration timeout) {
    ClientRequest request = exchange.request();
    Promise<BufferedBody> done = Promise.promise();
    BodyBudget.Reservation reservation = budget.reservation();
    // Released when the exchange ends, or earlier once the forwarder has written the body.
    exchange.bodyReservation(reservation);
    List<Buffer> chunks = new ArrayList<>();
    exchange.deadline().start(timeout, () -> stop(request, done, Reason.REQUEST_TIMEOUT, "body not read within request_body"));
    request.handler(bytes -> {
      // Copied to the heap and released at once, as Vert.x did with every chunk: the body's bytes are charged to the
      // heap's BodyBudget, and may wait there for a slow n8n, outside the bounded pool of direct memory.
      Buffer chunk = BufferInternal.buffer(Unpooled.buffer(bytes.readableBytes()).writeBytes(bytes));
      bytes.release();
      if (done.future().isComplete()) return;
      exchange.addBytesIn(chunk.length());
      if (exchange.bytesIn() > maxBody) {
        stop(request, done, Reason.BODY_TOO_LARGE, "body over max_body while verifying");
        return;
      }
      if (!reservation.take(chunk.length())) {
        stop(request, done, Reason.OVERLOADED, "buffered-body budget spent");
        return;
      }
      eachChunk.accept(chunk);
      chunks.add(chunk);
    });
    request.endHandler(() -> {
      exchange.deadline().clear();
      done.tryComplete(new BufferedBody(chunks, exchange.bytesIn()));
    });
    request.exceptionHandler(e -> {
      exchange.deadline().clear();
      if (e instanceof ClientGoneException) done.tryFail(new Refused(Reason.CLIENT_CLOSED, "client closed mid-body"));
      else done.tryFail(e);
    });
    if ("100-continue".equalsIgnoreCase(request.headers().get(HttpHeaderNames.EXPECT))) {
      // The guard's headers have been read and the declared length fits: only now is the body invited.
      request.response().writeContinue();
    }
    request.resume();
    return done.future();
  }

  /** Stops reading (the refusal closes the connection, or resets the HTTP/2 stream) and fails with {@code reason}. */
  private static void stop(ClientRequest request, Promise<BufferedBody> done, Reason reason, String detail) {
    request.pause();
    done.tryFail(new Refused(reason, detail));
  }
}
