package io.gatehouse.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.Future;

/**
 * The answer to one {@link ClientRequest}. Writes are flushed by the end of the event-loop turn
 * ({@code FlushConsolidationHandler}), so the head and the chunks of one upstream read leave in one TLS record.
 *
 * <p>Framing is the listener's: a head with a {@code Content-Length} is sent as sized; an HTTP/1.1 head without one
 * is chunked, unless the response cannot have a body (HEAD, 204, 304); ending a response whose head has not been
 * written sends the bytes given to {@link #end(ByteBuf)} with their length.
 */
public interface ClientResponse {
  int status();

  void status(int code);

  /** The head's fields, until it is written. */
  HttpHeaders headers();

  boolean headWritten();

  boolean ended();

  /** The client is gone (connection closed, or the HTTP/2 stream reset): nothing written reaches it. */
  boolean closed();

  /** Sends {@code 100 Continue}: the client may now send the body it announced with {@code Expect}. */
  void writeContinue();

  /** Writes some of the body (the head first, if not yet written); takes ownership of {@code chunk}. */
  void write(ByteBuf chunk);

  /** Whether the client's side is not taking bytes as fast as they come: stop the source until {@link #drainHandler}. */
  boolean writeQueueFull();

  void drainHandler(Runnable onDrain);

  /** Ends the response; completes once written to the socket, fails if the client is gone. */
  Future<Void> end();

  /** Ends the response with its last bytes; takes ownership of {@code last}. */
  Future<Void> end(ByteBuf last);

  /** Ends the response with a small body of the gateway's own (US-ASCII/UTF-8 text). */
  Future<Void> end(String body);

  /** Cuts a response that has started: RST_STREAM CANCEL on HTTP/2, a close on HTTP/1.x. */
  void reset();

  /** Told once when the client goes away before the response has ended. */
  void closeHandler(Runnable onClose);
}
