package io.gatehouse.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one event loop to one target: at most {@code maxConnections} (idle, busy and connecting
 * together), idle ones handed out most recently used first (the warmest, and the others age out), and a bounded
 * FIFO of requests waiting for one, each for at most its pool-wait time. Confined to its event loop: no locks.
 */
final class LoopConnectionPool {
  private final UpstreamAddress address;
  private final EventLoop loop;
  private final UpstreamConnectionPools pools;
  private final int maxConnections;
  private final int maxWaiters;
  private final long keepAliveNanos;
  private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  /** Connections open or being opened. */
  private int size;
  private boolean closed;

  /** A request waiting for a connection; its timer gives up at the pool-wait limit. */
  private static final class Waiter {
    final Promise<UpstreamConnection> promise;
    ScheduledFuture<?> timer;

    Waiter(Promise<UpstreamConnection> promise) {
      this.promise = promise;
    }
  }

  LoopConnectionPool(UpstreamAddress address, EventLoop loop, UpstreamConnectionPools pools, UpstreamClientSettings settings) {
    this.address = address;
    this.loop = loop;
    this.pools = pools;
    this.maxConnections = settings.maxConnections();
    this.maxWaiters = settings.maxWaiters();
    this.keepAliveNanos = settings.keepAliveTimeout().toNanos();
  }

  UpstreamAddress address() { return address; }
  long keepAliveNanos() { return keepAliveNanos; }

  /** A connection for the calling context, which runs on this pool's loop. */
  Future<UpstreamConnection> acquire(ContextInternal context, Duration poolWait) {
    if (closed) return context.failedFuture(new IllegalStateException("upstream client closed"));
    UpstreamConnection connection;
    while ((connection = idle.pollFirst()) != null) {
      connection.leftPool();
      if (connection.usable()) return context.succeededFuture(connection);
      connection.channel().close(); // found dead: its removal from the count follows its close
    }
    if (size < maxConnections) {
      size++;
      Promise<UpstreamConnection> promise = context.promise();
      pools.connect(this, loop, promise);
      return promise.future();
    }
    if (waiters.size() >= maxWaiters) {
      return context.failedFuture(new PoolWaitTimeoutException("too many requests waiting for an upstream connection"));
    }
    Waiter waiter = new Waiter(context.promise());
    waiter.timer = loop.schedule(() -> {
      waiters.remove(waiter);
      waiter.promise.tryFail(new PoolWaitTimeoutException("no pooled upstream connection in time"));
    }, poolWait.toNanos(), TimeUnit.NANOSECONDS);
    waiters.addLast(waiter);
    return waiter.promise.future();
  }

  /** A connection that finished a call cleanly, or was never used: to the first waiter, else idle. */
  void release(UpstreamConnection connection) {
    if (closed || !connection.usable()) {
      connection.channel().close();
      return;
    }
    Waiter waiter = waiters.pollFirst();
    if (waiter != null) {
      waiter.timer.cancel(false);
      if (waiter.promise.tryComplete(connection)) return;
    }
    idle.addFirst(connection);
    connection.enteredPool();
  }

  /** A connection opened for {@code promise}; it went to a waiter that timed out meanwhile: keep it. */
  void connected(UpstreamConnection connection, Promise<UpstreamConnection> promise) {
    if (!promise.tryComplete(connection)) release(connection);
  }

  /** A connection closed or failed to open: it no longer counts, and a waiter may now open one. */
  void removed(UpstreamConnection connection) {
    size--;
    idle.remove(connection); // O(idle), only on close
    if (closed) return;
    Waiter waiter = waiters.peekFirst();
    if (waiter != null && size < maxConnections) {
      waiters.pollFirst();
      size++;
      // The waiter's timer keeps running: the connect has its own, shorter, deadline.
      pools.connect(this, loop, waiter.promise);
    }
  }

  /** Closes the idle connections and turns the waiting away; busy ones close when their call ends. */
  void close() {
    closed = true;
    for (Waiter waiter; (waiter = waiters.pollFirst()) != null; ) {
      waiter.timer.cancel(false);
      waiter.promise.tryFail(new IllegalStateException("upstream client closed"));
    }
    for (UpstreamConnection connection; (connection = idle.pollFirst()) != null; ) connection.channel().close();
  }
}
