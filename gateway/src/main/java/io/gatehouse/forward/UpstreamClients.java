package io.gatehouse.forward;

import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The Vert.x HTTP clients that reach n8n for WebSocket handshakes (plain HTTP goes through the gateway's own client,
 * {@link io.gatehouse.upstream.UpstreamConnectionPools}): one per event loop, so a request and the pooled upstream connection it borrows
 * always live on the same thread.
 *
 * <p>Why not one shared client: Vert.x's pool hands out whichever idle connection answered last, whatever event
 * loop it belongs to. With two loops, about half the requests then cross threads twice (the write is queued to the
 * connection's loop, the response is queued back), each crossing a task hand-off and an eventfd wake-up; a client
 * per loop cut the CPU of a small proxied request by about a quarter (72 to 52 µs, loadtest/). A client per loop creates its connections on that loop
 * (Vert.x's default), so its pool holds only same-loop connections. Each client has the configured pool size.
 */
public final class UpstreamClients {
  private final Vertx vertx;
  private final HttpClientOptions options;
  private final PoolOptions pool;
  private final ConcurrentMap<EventLoop, HttpClient> byLoop = new ConcurrentHashMap<>();
  /** For callers on no event loop (a worker thread, a test's thread): correct, only not loop-local. */
  private final HttpClient shared;

  public UpstreamClients(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
    this.vertx = vertx;
    this.options = options;
    this.pool = pool;
    this.shared = vertx.createHttpClient(options, pool);
  }

  /** The client of the calling thread's event loop. */
  HttpClient current() {
    ContextInternal context = ContextInternal.current();
    if (context == null || !context.isEventLoopContext()) return shared;
    return byLoop.computeIfAbsent(context.nettyEventLoop(), loop -> vertx.createHttpClient(options, pool));
  }

  /**
   * Opens a request to {@code target} on the calling loop's client, waiting at most {@code poolWait} for one of its
   * pooled connections.
   */
  Future<HttpClientRequest> request(UpstreamTarget target, HttpMethod method, String uri, Duration poolWait) {
    return current().request(new RequestOptions()
        .setMethod(method)
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.ssl())
        .setURI(uri)
        .setFollowRedirects(false)
        .setConnectTimeout(poolWait.toMillis()));
  }

  /** Closes every client and its pooled connections. */
  public Future<Void> close() {
    List<Future<Void>> closes = new ArrayList<>();
    closes.add(shared.close());
    byLoop.values().forEach(client -> closes.add(client.close()));
    return Future.join(closes).mapEmpty();
  }
}
