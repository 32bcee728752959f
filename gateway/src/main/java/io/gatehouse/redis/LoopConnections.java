package io.gatehouse.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * One Redis connection per event loop, opened on that loop and kept, for a store called on every request: the reply
 * is read and its callback run on the loop that sent the command, and commands from one loop are pipelined on its
 * connection.
 *
 * <p>Why not the pooled client's {@code send}: it acquires a connection from the pool and gives it back around
 * every command, and a connection opened by one loop answers on that loop, so a request on another loop waited for
 * a cross-thread hand-off both ways. Measured with loadtest/ratelimit.py on two cores: through the pooled client a
 * check cost about 135 µs of gateway CPU more than the local store (a smoke run), through these about 10 µs (three
 * rounds).
 *
 * <p>A connection that fails or closes is dropped, and the next command on its loop opens a new one: no reconnect
 * loop of our own, and nothing is attempted while nothing is asked. Called from outside an event loop (tests, the
 * warm-up), a command goes through the pooled client instead.
 */
public final class LoopConnections {
  private final Supplier<Redis> clients;
  private final Redis pooled;
  private final ConcurrentMap<Context, Slot> slots = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param clients makes a client of one connection (TLS and ACL login set): one per event loop, kept
   * @param pooled for commands sent from outside an event loop
   */
  public LoopConnections(Supplier<Redis> clients, Redis pooled) {
    this.clients = clients;
    this.pooled = pooled;
  }

  /** Sends {@code request} on the calling event loop's connection (opened first if there is none). */
  public Future<Response> send(Request request) {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext() || closed) return pooled.send(request);
    Slot slot = slots.get(context);
    if (slot == null) slot = slots.computeIfAbsent(context, c -> new Slot(clients.get()));
    return slot.send(request);
  }

  public Future<Void> close() {
    closed = true;
    slots.values().forEach(Slot::close);
    slots.clear();
    return pooled.close();
  }

  /** One loop's connection. Used only on that loop's thread. */
  private static final class Slot {
    private final Redis client;
    private Future<RedisConnection> connection;

    Slot(Redis client) {
      this.client = client;
    }

    Future<Response> send(Request request) {
      Future<RedisConnection> current = connection;
      if (current == null || current.failed()) current = connect();
      return current.compose(c -> c.send(request));
    }

    private Future<RedisConnection> connect() {
      Future<RedisConnection> opening = client.connect();
      connection = opening;
      opening.onSuccess(c -> {
        c.exceptionHandler(e -> lost(opening));
        c.endHandler(v -> lost(opening));
      });
      return opening;
    }

    private void lost(Future<RedisConnection> which) {
      if (connection == which) connection = null;
      which.onSuccess(RedisConnection::close);
    }

    void close() {
      Future<RedisConnection> current = connection;
      connection = null;
      if (current != null) current.onSuccess(RedisConnection::close);
      client.close();
    }
  }
}
