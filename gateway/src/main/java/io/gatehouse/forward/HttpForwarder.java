package io.gatehouse.forward;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.admin.UpstreamErrorKind;
import io.gatehouse.core.BufferedBody;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.MalformedBodyException;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import io.gatehouse.http.ClientRequest;
import io.gatehouse.http.ClientResponse;
import io.gatehouse.upstream.UpstreamCall;
import io.gatehouse.upstream.UpstreamConnection;
import io.gatehouse.upstream.UpstreamConnectionPools;
import io.gatehouse.upstream.UpstreamResponseHandler;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Streams one request to n8n and its response back, in both directions with back-pressure and without
 * buffering (webhook responses can be long-running or streamed, SSE included).
 *
 * <p>Written on the gateway's own HTTP/1.1 client ({@link UpstreamConnectionPools}) rather than vertx-http-proxy
 * because the gateway must own every failure mode: a refused connection retried on the next target before any byte
 * is sent, 502/504 with our error codes and request id, {@code max_body} enforced while streaming, and byte counts
 * for the audit log. The library answers those cases with its own bare status codes.
 */
public final class HttpForwarder {
  private final UpstreamConnectionPools pools;
  private final UpstreamConnector connector;
  private final GatewayMetrics metrics;

  public HttpForwarder(UpstreamConnectionPools pools, GatewayMetrics metrics) {
    this.pools = pools;
    this.connector = new UpstreamConnector(metrics);
    this.metrics = metrics;
  }

  /**
   * Forwards the (paused) request. Completes when the client response has ended; fails with an
   * {@link UpstreamFailure} otherwise. The exchange's status and byte counts are kept up to date.
   */
  public Future<Void> forward(Exchange exchange, UpstreamPool pool, ForwardSettings settings) {
    return connector.open(exchange, pool, settings, (target, wait) -> pools.acquire(target.address(), wait))
        .compose(connection -> new Transfer(exchange, pool, connection, settings).run());
  }

  /** The state of one forwarded exchange; lives on the request's event loop. */
  private final class Transfer implements UpstreamResponseHandler {
    private final Exchange exchange;
    private final UpstreamPool pool;
    private final UpstreamConnection connection;
    private final ForwardSettings settings;
    private final ClientRequest request;
    private final ClientResponse response;
    private final long maxBody;
    private final Promise<Void> done = Promise.promise();
    private UpstreamCall upstream;
    private boolean bodyStarted;
    // The response being relayed.
    private boolean responseHead;
    private long declared = -1;
    private ByteBuf lastChunk;

    Transfer(Exchange exchange, UpstreamPool pool, UpstreamConnection connection, ForwardSettings settings) {
      this.exchange = exchange;
      this.pool = pool;
      this.connection = connection;
      this.settings = settings;
      this.request = exchange.request();
      this.response = request.response();
      this.maxBody = exchange.route().map(Route::maxBody).orElse(settings.maxBody());
    }

    Future<Void> run() {
      if (exchange.finished() || response.closed()) {
        // Answered or abandoned while the connection opened: give the connection back unused.
        connection.recycle();
        return Future.failedFuture(new UpstreamFailure(Reason.CLIENT_CLOSED, true, "ended before forwarding"));
      }
      String uri = exchange.query() == null ? exchange.path() : exchange.path() + "?" + exchange.query();
      upstream = connection.call(request.method(), uri, this);
      try {
        prepareHeaders();
      } catch (RuntimeException e) {
        // A header Netty will not encode: the connection must not stay attached to a call that never runs.
        upstream.abort();
        return Future.failedFuture(new UpstreamFailure(Reason.UPSTREAM_UNAVAILABLE, false, e.getClass().getSimpleName()));
      }
      response.closeHandler(this::clientGone);
      relayRequestBody();
      return done.future();
    }

    private void prepareHeaders() {
      var headers = upstream.headers();
      ForwardedHeaders.copyRequest(request.headers(), headers, exchange, settings);
      ForwardedHeaders.setGatewayOwned(headers, exchange, settings);
      String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
      if (exchange.body() != null) {
        // A body read by a guard goes as one known length, whatever framing the client used (chunked, HTTP/2
        // DATA frames): the same bytes, and for a Content-Length request the same length it declared.
        headers.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(exchange.body().length()));
      } else if (length != null) {
        headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
      } else if (!request.protocol().isHttp2() && request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
        upstream.chunked(true);
      }
    }

    private void relayRequestBody() {
      BufferedBody body = exchange.body();
      if (body != null) {
        // Already read and verified: send exactly those bytes, with the head in one write. No 100 Continue: the guard
        // sent it when it read.
        ByteBuf whole = ((BufferInternal) body.asOneBuffer()).getByteBuf();
        // Hashed for capture in one go: at most the route's max_body, and only for a body whose signature verified,
        // so no anonymous sender can make this slice long (about 0.7 ms per MiB here).
        exchange.payloadTaps().request(whole);
        upstream.end(whole)
            // Out of our hands (in the socket or the kernel): the bytes leave the budget, even if n8n takes minutes.
            .addListener(f -> exchange.releaseBody());
        awaitResponseHead();
        return;
      }
      boolean chunkOnFirstData = request.protocol().isHttp2() && !upstream.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
      // A body that stops arriving is cut after idle; each chunk restarts the count.
      exchange.deadline().start(settings.idleTimeout(), this::requestStalled);
      upstream.drainHandler(request::resume);
      request.handler(chunk -> {
        exchange.addBytesIn(chunk.readableBytes());
        exchange.deadline().progress();
        if (exchange.bytesIn() > maxBody) {
          chunk.release();
          request.handler(null);
          fail(Reason.BODY_TOO_LARGE, null, null);
          abortUpstream();
          return;
        }
        if (!bodyStarted && chunkOnFirstData) upstream.chunked(true);
        bodyStarted = true;
        exchange.payloadTaps().request(chunk);
        upstream.write(chunk); // released by Netty once written

        if (upstream.writeQueueFull()) request.pause(); // resumed by the drain handler
      });
      request.endHandler(() -> {
        upstream.end();
        // Timed from the end of the request body, so a large slow upload is not mistaken for a slow n8n.
        awaitResponseHead();
      });
      request.exceptionHandler(e -> {
        // A body the decoder refused is answered like one over max_body (failed first, so the abort's own error
        // does not win); the connection closes after, so nothing more of the client's bytes is read.
        if (e instanceof MalformedBodyException malformed) {
          done.tryFail(new UpstreamFailure(malformed.reason(), response.headWritten(), malformed.getMessage()));
          abortUpstream();
        } else {
          // An HTTP/2 client's RST_STREAM (h2load resets what is in flight when its run ends), or the connection lost.
          clientGone();
        }
      });
      if ("100-continue".equalsIgnoreCase(request.headers().get(HttpHeaderNames.EXPECT))) {
        // Only now, after every guard passed and the declared length fit, is the client invited to send.
        response.writeContinue();
      }
      request.resume();
    }

    /**
     * The client went away: stop n8n's side too, as nginx does without proxy_ignore_client_abort. Failed first, since
     * aborting makes the upstream request fail too, which must not be recorded as n8n's failure (a 502).
     */
    private void clientGone() {
      boolean ended = response.ended();
      exchange.deadline().clear();
      done.tryFail(new UpstreamFailure(Reason.CLIENT_CLOSED, true, "client closed"));
      if (!ended) abortUpstream();
    }

    private void requestStalled() {
      metrics.timedOut("request_stall");
      // Failed first: aborting makes the upstream request fail too, and that must not turn the 408 into a 502.
      fail(Reason.REQUEST_TIMEOUT, null, null);
      abortUpstream();
    }

    @Override public void onHead(HttpResponse head) {
      if (done.future().isComplete()) {
        upstream.abort();
        return;
      }
      responseHead = true;
      int status = head.status().code();
      response.status(status);
      exchange.status(status);
      ForwardedHeaders.copyResponse(head.headers(), response.headers());
      exchange.responseHeaders().addTo(response.headers()::add);
      String length = head.headers().get(HttpHeaderNames.CONTENT_LENGTH);
      boolean bodiless = HttpMethod.HEAD.equals(request.method()) || status == 204 || status == 304;
      if (length != null) {
        // Also for HEAD, 204 and 304: it describes the body the resource would have, which has none here. Without
        // one the listener frames the body (chunked on HTTP/1.1).
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
      }
      // A response body may pause as long as idle; an event stream (n8n's push channel over SSE) is a tunnel, quiet
      // between events, so it gets the tunnel's limit.
      exchange.deadline().start(isEventStream(head) ? settings.tunnelIdleTimeout() : settings.idleTimeout(),
          this::responseStalled);
      declared = length != null && !bodiless ? parseLength(length) : -1;
      exchange.payloadTaps().responseHead(head.headers());
      response.drainHandler(upstream::resumeResponse);
    }

    @Override public void onContent(ByteBuf content) {
      if (done.future().isComplete()) {
        content.release();
        return;
      }
      exchange.addBytesOut(content.readableBytes());
      exchange.deadline().progress();
      exchange.payloadTaps().response(content);
      if (exchange.bytesOut() == declared) {
        // The last bytes of a sized body go out with the end: one flush (one TLS record) fewer per response,
        // which is most of a small response's cost. Unsized bodies (SSE) are written as they come.
        lastChunk = content;
        return;
      }
      response.write(content);
      if (response.writeQueueFull()) upstream.pauseResponse(); // resumed by the drain handler
    }

    @Override public void onEnd() {
      ByteBuf last = lastChunk;
      lastChunk = null;
      if (done.future().isComplete()) {
        if (last != null) last.release();
        return;
      }
      Future<Void> ended = last == null ? response.end() : response.end(last);
      ended.onComplete(ar -> {
        exchange.deadline().clear();
        if (ar.succeeded()) done.tryComplete();
        else done.tryFail(new UpstreamFailure(Reason.CLIENT_CLOSED, true, "client closed"));
      });
    }

    @Override public void onFailure(Throwable cause) {
      if (lastChunk != null) {
        lastChunk.release();
        lastChunk = null;
      }
      if (!responseHead) {
        fail(Reason.UPSTREAM_UNAVAILABLE, UpstreamErrorKind.RESET, cause);
        return;
      }
      if (done.future().isComplete()) return; // our own abort, after the client left or a limit was hit
      metrics.upstreamError(pool.name(), UpstreamErrorKind.RESET);
      exchange.deadline().clear();
      response.reset();
      done.tryFail(new UpstreamFailure(Reason.UPSTREAM_UNAVAILABLE, true, "upstream reset mid-response"));
    }

    private void responseStalled() {
      metrics.timedOut("response_stall");
      done.tryFail(new UpstreamFailure(Reason.NONE, true, "response stalled longer than its idle limit"));
      response.reset();
      abortUpstream();
    }

    private static boolean isEventStream(HttpResponse head) {
      String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
      return type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
    }

    private static long parseLength(String value) {
      try {
        return Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    private void fail(Reason reason, UpstreamErrorKind metricKind, Throwable cause) {
      exchange.deadline().clear();
      if (metricKind != null && cause != null && !done.future().isComplete()) metrics.upstreamError(pool.name(), metricKind);
      boolean started = response.headWritten();
      if (started) response.reset();
      done.tryFail(new UpstreamFailure(reason, started, cause == null ? reason.code() : cause.getClass().getSimpleName()));
    }

    /** The request has been sent: n8n has {@code upstream_response} to start answering. */
    private void awaitResponseHead() {
      if (done.future().isComplete() || exchange.status() != 0) return;
      exchange.deadline().start(settings.responseTimeout(), () -> {
        metrics.upstreamError(pool.name(), UpstreamErrorKind.TIMEOUT);
        metrics.timedOut("upstream_response");
        fail(Reason.UPSTREAM_TIMEOUT, null, null);
        abortUpstream();
      });
    }

    /**
     * Abandons the upstream request and closes its connection. The connection may hold half a request body (a body
     * cut at max_body, a client gone mid-upload); it must never go back to the pool, where the next request would
     * follow those bytes.
     */
    private void abortUpstream() {
      upstream.abort();
    }
  }
}
