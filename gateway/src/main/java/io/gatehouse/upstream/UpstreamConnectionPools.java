package io.gatehouse.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLException;

/**
 * The gateway's HTTP/1.1 client to n8n, written on Netty: a {@link LoopConnectionPool} per event loop per target, so
 * a request and the upstream connection it borrows always live on the same thread (the reason UpstreamClients keeps
 * a Vert.x client per loop), with connections created on that loop, on the same transport as the listener (epoll when
 * its native library loads).
 *
 * <p>Why not Vert.x's client: Vert.x's HTTP layer is most of the gap between the gateway and a raw-Netty proxy
 * (loadtest/README.md, "Where the time and the memory go"); this client does only what the forwarder needs, and
 * replacing the client took the CPU of a proxied 1 KiB request from about 62 to 58 µs in one interleaved run.
 */
public final class UpstreamConnectionPools {
  /**
   * Netty's content slices are at most this long: as much as one socket read brings (Netty's adaptive read buffer grows
   * to 64 KiB), so a large body is relayed in a few writes rather than one per 8 KiB, each a DATA frame through the
   * HTTP/2 stream's channel or a chunk through the HTTP/1.1 encoder.
   */
  private static final int MAX_CHUNK_SIZE = 64 * 1024;

  private final UpstreamClientSettings settings;
  private final ChannelFactory<? extends Channel> channels;
  private final AddressResolverGroup<InetSocketAddress> resolver;
  private final SslContext tls;
  private final ConcurrentMap<EventLoop, Map<UpstreamAddress, LoopConnectionPool>> byLoop = new ConcurrentHashMap<>();
  /** Every open connection, so that closing the client closes the busy ones too. */
  private final ChannelGroup open = new DefaultChannelGroup("upstream", GlobalEventExecutor.INSTANCE, true);

  public UpstreamConnectionPools(Vertx vertx, UpstreamClientSettings settings) {
    VertxInternal internal = (VertxInternal) vertx;
    this.settings = settings;
    this.channels = internal.transport().channelFactory(false);
    // Vert.x's asynchronous resolver: the JDK's would block the event loop on a DNS lookup.
    this.resolver = internal.nameResolver().nettyAddressResolverGroup();
    try {
      // The JDK's default trust store and hostname verification, with SNI set from the host (newHandler below): what
      // Vert.x's client did with setSsl(true).
      this.tls = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS toward n8n", e);
    }
  }

  /**
   * A connection to {@code address} from the calling event loop's pool: an idle one, a new one, or the next one
   * released within {@code poolWait} (else a {@link PoolWaitTimeoutException}). A refused or timed-out connect fails
   * with the transport's exception. Must be called on a Vert.x event-loop context.
   */
  public Future<UpstreamConnection> acquire(UpstreamAddress address, Duration poolWait) {
    ContextInternal context = ContextInternal.current();
    if (context == null || !context.isEventLoopContext() || !context.nettyEventLoop().inEventLoop()) {
      return Future.failedFuture(new IllegalStateException("upstream connections are acquired on an event loop"));
    }
    EventLoop loop = context.nettyEventLoop();
    Map<UpstreamAddress, LoopConnectionPool> pools = byLoop.get(loop);
    if (pools == null) pools = byLoop.computeIfAbsent(loop, l -> new HashMap<>());
    LoopConnectionPool pool = pools.get(address);
    if (pool == null) {
      pool = new LoopConnectionPool(address, loop, this, settings);
      pools.put(address, pool); // this map is only ever touched on its own loop
    }
    return pool.acquire(context, poolWait);
  }

  /** Opens a connection for {@code pool}, on its loop, and completes {@code promise} once it can carry a request. */
  void connect(LoopConnectionPool pool, EventLoop loop, Promise<UpstreamConnection> promise) {
    UpstreamAddress address = pool.address();
    UpstreamConnection connection = new UpstreamConnection(pool);
    int connectMillis = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channelFactory(channels)
        .resolver(resolver)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override protected void initChannel(Channel channel) {
            if (address.tls()) {
              SslHandler handshake = tls.newHandler(channel.alloc(), address.connectHost(), address.port());
              // Part of connecting: a target that takes TCP but never finishes TLS fails (and is ejected) within
              // upstream_connect, as a refused one does, not after Netty's 10 s default.
              handshake.setHandshakeTimeoutMillis(connectMillis);
              channel.pipeline().addLast(handshake);
            }
            // The codec is told every request's method, so a HEAD response's Content-Length is not read as a body;
            // failOnMissingResponse reports a connection that closed with a response owed.
            channel.pipeline().addLast(new HttpClientCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxInitialLineLength())
                .setMaxHeaderSize(settings.maxHeaderSize())
                .setMaxChunkSize(MAX_CHUNK_SIZE), false, true));
            channel.pipeline().addLast(connection);
          }
        });
    ChannelFuture connecting = bootstrap.connect(address.connectHost(), address.port());
    connecting.addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        connection.removeOnce();
        promise.tryFail(f.cause());
        return;
      }
      open.add(f.channel());
      SslHandler ssl = f.channel().pipeline().get(SslHandler.class);
      if (ssl == null) {
        pool.connected(connection, promise);
        return;
      }
      ssl.handshakeFuture().addListener(h -> {
        if (h.isSuccess()) {
          pool.connected(connection, promise);
        } else {
          f.channel().close(); // its close takes it out of the count
          promise.tryFail(h.cause());
        }
      });
    });
  }

  /** Closes every pool: idle connections at once, and the busy ones (the gateway drained its requests first). */
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    byLoop.forEach((loop, pools) -> {
      Promise<Void> done = Promise.promise();
      loop.execute(() -> {
        pools.values().forEach(LoopConnectionPool::close);
        done.complete();
      });
      closing.add(done.future());
    });
    return Future.join(closing).transform(ar -> {
      Promise<Void> closed = Promise.promise();
      open.close().addListener(f -> closed.complete());
      return closed.future();
    });
  }
}
