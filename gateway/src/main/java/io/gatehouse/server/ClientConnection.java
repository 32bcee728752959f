package io.gatehouse.server;

import io.gatehouse.config.Timeouts;
import io.gatehouse.core.Deadline;
import io.gatehouse.core.Exchange;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.internal.ContextInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One client connection's life: the requests in flight on it, whether the gateway has decided to close it, and the
 * one timer that bounds whichever phase it is in. Attached to the Netty channel, so it lives and dies with it and
 * needs no map that something must remember to clean.
 *
 * <p>Phases, each with exactly one limit (a request in flight is never cut by a limit meant for a quiet connection):
 * <ul>
 *   <li>the first request's head: {@code request_header} from the connection's start;
 *   <li>between requests: {@code idle} until the next request's first byte, then {@code request_header} for its
 *       head (HTTP/1.x; an HTTP/2 connection with no stream open is closed after {@code idle});
 *   <li>requests in flight: each exchange's own {@link Deadline}, set by whoever owns its phase (body read,
 *       upstream response, streaming, tunnel).
 * </ul>
 * The timer is re-armed lazily: starting a phase writes a field and schedules a timer only when the new deadline falls
 * before the pending one. Confined to the connection's event loop.
 */
final class ClientConnection implements Deadline.Watch {
  private static final AttributeKey<ClientConnection> KEY = AttributeKey.valueOf("gatehouse.client-connection");
  private static final long NOT_STARTED = Long.MIN_VALUE;

  private final Channel channel;
  private final InetAddress peer;
  private final ContextInternal context;
  private final Supplier<Timeouts> timeouts;
  private boolean http2;
  private final long openedAt = System.nanoTime();
  private final List<Exchange> inFlight = new ArrayList<>(1);
  private boolean firstRequest = true;
  private long idleSince = openedAt;
  private long headStartedAt = NOT_STARTED;
  private boolean closing;
  private boolean draining;
  private boolean closed;
  private ScheduledFuture<?> timer;
  private long timerDueAt;

  private ClientConnection(Channel channel, ContextInternal context, Supplier<Timeouts> timeouts) {
    this.channel = channel;
    this.peer = peerOf(channel);
    this.context = context;
    this.timeouts = timeouts;
  }

  /**
   * Attaches a new record to an accepted connection's channel and starts its first phase (the TLS handshake and the
   * first request's head share {@code request_header}). Called on the channel's event loop.
   */
  static ClientConnection attach(Channel channel, ContextInternal context, Supplier<Timeouts> timeouts) {
    ClientConnection client = new ClientConnection(channel, context, timeouts);
    channel.attr(KEY).set(client);
    client.dueBy(client.waitingDueAt());
    return client;
  }

  /** The record of a connection {@link #attach attached} at its start. */
  static ClientConnection of(Channel channel) {
    return channel.attr(KEY).get();
  }

  /** The connection's channel (for HTTP/2, the parent of the streams' channels). */
  Channel channel() { return channel; }

  /** ALPN chose HTTP/2: between streams the connection has {@code idle}, and no head deadline of its own. */
  void http2() { this.http2 = true; }

  /** The socket peer, read once per connection; every request on it (every HTTP/2 stream) shares it. */
  InetAddress peer() { return peer; }

  /**
   * The kernel's address of the peer, without the zone a link-local IPv6 peer carries ({@code fe80::1%eth0}):
   * allow-lists and the audit log have no zones. {@code getByAddress} only copies bytes, so nothing here reaches DNS.
   */
  private static InetAddress peerOf(Channel channel) {
    try {
      return InetAddress.getByAddress(((InetSocketAddress) channel.remoteAddress()).getAddress().getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  /** After a refusal that ends the connection, nothing more is read from it (a smuggled request is dropped). */
  void markClosing() { closing = true; }

  /**
   * The gateway is shutting down: an idle connection closes now, a busy HTTP/1.x one after its response, which says
   * {@code Connection: close}.
   */
  void drain() {
    draining = true;
    if (inFlight.isEmpty()) channel.close();
  }

  boolean draining() { return draining; }
  boolean closing() { return closing; }

  void requestStarted(Exchange exchange) {
    firstRequest = false;
    headStartedAt = NOT_STARTED;
    inFlight.add(exchange);
  }

  void requestEnded(Exchange exchange) {
    if (inFlight.remove(exchange) && inFlight.isEmpty()) {
      if (draining) channel.close();
      idleSince = System.nanoTime();
      dueBy(waitingDueAt());
    }
  }

  /** Bytes of a request head arrived while no request was in flight (HTTP/1.x): the head now has request_header. */
  void headBytesArrived() {
    if (headStartedAt != NOT_STARTED || !inFlight.isEmpty() || firstRequest) return;
    headStartedAt = System.nanoTime();
    dueBy(waitingDueAt());
  }

  /**
   * The connection is closing and only lingers to drain what the client still sends (LingeringClose): every exchange
   * on it whose answer is not complete has lost its client now, not when the socket finally closes, so none is still
   * forwarded in the meantime. (An answered one is only waiting for its write to be recorded, as it was sent.)
   */
  void sendingClosed() {
    context.dispatch(v -> {
      for (Exchange exchange : inFlight.toArray(new Exchange[0])) {
        ClientStream stream = ClientStream.of(exchange.request());
        if (!stream.response().ended()) stream.clientGone();
      }
    });
  }

  /** The channel closed, whichever way: no timer may outlive it. */
  void closed() {
    closed = true;
    if (timer != null) timer.cancel(false);
    timer = null;
  }

  @Override public void dueBy(long nanoTime) {
    if (closed || (timer != null && nanoTime - timerDueAt >= 0)) return;
    if (timer != null) timer.cancel(false);
    timerDueAt = nanoTime;
    long delayMillis = Math.max(1, (nanoTime - System.nanoTime() + 999_999) / 1_000_000);
    // Netty's timer on the channel's own loop; expiry actions run in its Vert.x context, like everything else of it.
    timer = channel.eventLoop().schedule(() -> context.dispatch(v -> check()), delayMillis, TimeUnit.MILLISECONDS);
  }

  private void check() {
    timer = null;
    if (closed) return;
    long now = System.nanoTime();
    if (inFlight.isEmpty()) {
      if (now - waitingDueAt() >= 0) {
        channel.close();
        return;
      }
    } else {
      // An expiry action may end its exchange, which removes it from the list.
      for (Exchange exchange : inFlight.toArray(new Exchange[0])) exchange.deadline().expireIfDue(now);
    }
    dueBy(nextDueAt());
  }

  private long nextDueAt() {
    if (inFlight.isEmpty()) return waitingDueAt();
    long due = Long.MAX_VALUE;
    boolean any = false;
    for (Exchange exchange : inFlight) {
      Deadline deadline = exchange.deadline();
      if (deadline.active() && (!any || deadline.dueAt() - due < 0)) {
        due = deadline.dueAt();
        any = true;
      }
    }
    // Nothing limits the phase right now (a guard waiting on the replay store has its own timeout): look again soon.
    return any ? due : System.nanoTime() + timeouts.get().requestHeader().toNanos();
  }

  /** When a connection with nothing in flight has waited long enough. */
  private long waitingDueAt() {
    Timeouts t = timeouts.get();
    if (firstRequest) return openedAt + t.requestHeader().toNanos();
    if (!http2 && headStartedAt != NOT_STARTED) return headStartedAt + t.requestHeader().toNanos();
    return idleSince + t.idle().toNanos();
  }
}
