package io.gatehouse.server;

import io.gatehouse.core.MalformedBodyException;
import io.gatehouse.http.ClientGoneException;
import io.gatehouse.http.ClientRequest;
import io.gatehouse.http.ClientResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * What HTTP/1.x messages and HTTP/2 streams share as a {@link ClientRequest} and its {@link ClientResponse}: the
 * paused-until-resumed body with its handlers, the response's state, back-pressure and close notifications. The
 * protocol's own framing is in {@link Http1Stream} and {@link Http2Stream}. Confined to the channel's event loop; every
 * callback runs in the loop's Vert.x context, so guards and the forwarder can use Vert.x futures and timers.
 */
abstract class ClientStream implements ClientRequest {
  /**
   * Headers filled from parts already validated: a response head from n8n's parsed head and our constants, an HTTP/2
   * request's fields from Netty's HPACK decoder (which validates them).
   */
  static final DefaultHttpHeadersFactory UNVALIDATED_HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  final ClientConnection connection;
  final ContextInternal context;
  private final HttpMethod method;
  private final String uri;
  private final HttpHeaders headers;
  private final HttpHeaders responseHeaders = UNVALIDATED_HEADERS.newHeaders();
  private final Response response = new Response();

  // The request body.
  private boolean paused = true;
  private boolean requestEnded;
  private Throwable failure;
  private boolean failureReported;
  /** Body parts that arrived while paused, in order; {@link #endPending} when the end arrived behind them. */
  private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>(2);
  private boolean endPending;
  private Consumer<ByteBuf> chunkHandler;
  private Runnable endHandler;
  private Consumer<Throwable> exceptionHandler;

  // The response.
  private int status = 200;
  private boolean headWritten;
  private boolean responseEnded;
  private boolean clientGone;
  private Runnable drainHandler;
  private Runnable closeHandler;

  ClientStream(ClientConnection connection, ContextInternal context, HttpMethod method, String uri, HttpHeaders headers) {
    this.connection = connection;
    this.context = context;
    this.method = method;
    this.uri = uri;
    this.headers = headers;
  }

  /** The stream of a request handed out by this listener. */
  static ClientStream of(ClientRequest request) {
    return (ClientStream) request;
  }

  /** The channel the response is written to (the connection's, or the HTTP/2 stream's child channel). */
  abstract Channel channel();

  // ---- ClientRequest

  @Override public HttpMethod method() { return method; }
  @Override public String uri() { return uri; }
  @Override public HttpHeaders headers() { return headers; }
  @Override public boolean isEnded() { return requestEnded && !endPending && failure == null; }
  @Override public ClientResponse response() { return response; }

  @Override public void pause() {
    paused = true;
    readingChanged();
  }

  @Override public void resume() {
    paused = false;
    deliverPending();
    readingChanged();
  }

  /** Whether the transport should read more of this request's body now. */
  boolean wantsBody() {
    return !paused && !requestEnded;
  }

  /** Whether the body's last part has arrived (perhaps still waiting, paused, for its reader), or it failed. */
  boolean lastArrived() {
    return requestEnded;
  }

  /**
   * Whether reading must stop for this request: it is paused and some of its body is already waiting. A paused request
   * with nothing waiting lets reading go on: most requests arrive whole in one read, and stopping and restarting the
   * socket's reads for each would cost two system calls (epoll_ctl) per request.
   */
  boolean holdsBody() {
    return paused && !pending.isEmpty();
  }

  /** Reading may have to start or stop ({@link #wantsBody()}, {@link #holdsBody()}): the transport decides. */
  abstract void readingChanged();

  @Override public void handler(Consumer<ByteBuf> onChunk) {
    this.chunkHandler = onChunk;
    if (onChunk == null) releasePending();
  }

  @Override public void endHandler(Runnable onEnd) { this.endHandler = onEnd; }

  @Override public void exceptionHandler(Consumer<Throwable> onFailure) {
    this.exceptionHandler = onFailure;
    reportFailure();
  }

  /** A body chunk from the transport; owned by this stream from here. */
  void bodyArrived(ByteBuf chunk) {
    if (requestEnded || !chunk.isReadable()) {
      chunk.release();
      return;
    }
    if (paused || !pending.isEmpty()) {
      pending.add(chunk);
      if (pending.size() == 1) readingChanged();
      return;
    }
    deliver(chunk);
  }

  /** The body is complete. */
  void bodyEnded() {
    if (requestEnded) return;
    requestEnded = true;
    if (paused || !pending.isEmpty()) {
      endPending = true;
      return;
    }
    deliverEnd();
  }

  private void deliverPending() {
    while (!paused && !pending.isEmpty()) deliver(pending.poll());
    if (!paused && endPending) {
      endPending = false;
      deliverEnd();
    }
  }

  private void deliverEnd() {
    Runnable onEnd = endHandler;
    if (onEnd != null) onEnd.run();
  }

  private void deliver(ByteBuf chunk) {
    Consumer<ByteBuf> onChunk = chunkHandler;
    if (onChunk == null) chunk.release();
    else onChunk.accept(chunk);
  }

  /** The exchange is over: whatever of the body still waits is dropped. */
  void discardBody() {
    requestEnded = true;
    endPending = false;
    releasePending();
  }

  private void releasePending() {
    for (ByteBuf chunk; (chunk = pending.poll()) != null; ) chunk.release();
  }

  /** The body cannot complete; reported once, now if a handler listens, else when one is set. */
  void bodyFailed(Throwable cause) {
    if (failure != null || (requestEnded && !endPending)) return;
    failure = cause;
    requestEnded = true;
    endPending = false;
    releasePending();
    reportFailure();
  }

  private void reportFailure() {
    if (failure == null || failureReported || exceptionHandler == null) return;
    failureReported = true;
    exceptionHandler.accept(failure);
  }

  // ---- the response: an object of its own, since a request and a response both have headers()

  HttpHeaders responseHeaders() { return responseHeaders; }
  int status() { return status; }

  /** Writes a body part; {@code withHead} when the head goes first. */
  abstract void writeBody(ByteBuf chunk, boolean withHead);

  /** Writes the last part (possibly empty) and ends the response; {@code withHead} when the head goes with it. */
  abstract ChannelFuture writeLast(ByteBuf last, boolean withHead);

  /** Sends an interim {@code 100 Continue}. */
  abstract void writeContinue();

  /** Cuts a started response. */
  abstract void reset();

  /** The response has been written whole: the transport may move on. */
  void afterResponseEnd() { }

  /** The channel became writable again. */
  void writable() {
    Runnable onDrain = drainHandler;
    if (onDrain != null && channel().isWritable()) onDrain.run();
  }

  /** The client went away (connection closed, stream reset): whatever listens is told once. */
  void clientGone() {
    lost(new ClientGoneException("client closed"));
  }

  /**
   * The transport is resetting the stream for a protocol error: nothing more can be written, and the exchange is
   * refused as malformed rather than as a client that left.
   */
  void resetByProtocolError(Throwable cause) {
    lost(new MalformedBodyException("HTTP/2 stream error: " + cause.getClass().getSimpleName(), false));
  }

  /** Nothing more reaches the client: the body fails with {@code why}, and a response not yet ended is abandoned. */
  private void lost(RuntimeException why) {
    if (clientGone) return;
    clientGone = true;
    bodyFailed(why);
    if (!responseEnded) {
      Runnable onClose = closeHandler;
      if (onClose != null) onClose.run();
    }
  }

  private final class Response implements ClientResponse {
    @Override public int status() { return status; }
    @Override public void status(int code) { status = code; }
    @Override public HttpHeaders headers() { return responseHeaders; }
    @Override public boolean headWritten() { return headWritten; }
    @Override public boolean ended() { return responseEnded; }
    @Override public boolean closed() { return clientGone; }
    @Override public void writeContinue() { if (!headWritten && !clientGone) ClientStream.this.writeContinue(); }

    @Override public void write(ByteBuf chunk) {
      if (responseEnded || clientGone) {
        chunk.release();
        return;
      }
      boolean first = !headWritten;
      headWritten = true;
      writeBody(chunk, first);
    }

    @Override public Future<Void> end() {
      return end(Unpooled.EMPTY_BUFFER);
    }

    @Override public Future<Void> end(String body) {
      return end(Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override public Future<Void> end(ByteBuf last) {
      if (responseEnded || clientGone) {
        ReferenceCountUtil.release(last);
        return Future.failedFuture(responseEnded ? new IllegalStateException("response already ended")
            : new ClientGoneException("client closed"));
      }
      boolean first = !headWritten;
      headWritten = true;
      responseEnded = true;
      // A promise without a context, completed inside the loop's context: a context-bound one would have Vert.x queue
      // a task to run its listeners, since Netty notifies from outside any context (one task per response).
      Promise<Void> written = Promise.promise();
      writeLast(last, first).addListener(f -> context.dispatch(v -> {
        if (f.isSuccess()) written.tryComplete();
        else written.tryFail(f.cause());
      }));
      afterResponseEnd();
      return written.future();
    }

    @Override public boolean writeQueueFull() {
      return !channel().isWritable();
    }

    @Override public void drainHandler(Runnable onDrain) { drainHandler = onDrain; }
    @Override public void reset() { if (!responseEnded && !clientGone) ClientStream.this.reset(); }
    @Override public void closeHandler(Runnable onClose) { closeHandler = onClose; }
  }
}
