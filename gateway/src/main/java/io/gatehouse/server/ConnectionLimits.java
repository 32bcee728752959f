package io.gatehouse.server;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * Counts open client connections, in all and per socket peer, so that many slow or idle clients (one host opening
 * thousands of TLS connections) cannot take every file descriptor and the memory each connection costs. Trusted
 * proxies are exempt from the per-address limit: every client behind a load balancer arrives from its few addresses.
 * The limits are read at each arrival, so a reload changes them for new connections.
 */
final class ConnectionLimits {
  /**
   * The total limit when the config sets none: one connection per 32 KiB of heap, at most 20,000 (about 3,960 with
   * the production -Xmx128m). An established TLS connection holds about 10 KiB of heap even when idle (measured:
   * SlowClientsIT), and the heap must also hold the buffered-body budget (a quarter) and the replay store.
   */
  static int defaultMaxConnections() {
    return (int) Math.min(20_000, Runtime.getRuntime().maxMemory() / (32 << 10));
  }

  /** Why a connection was turned away; the label of {@code gatehouse_connections_refused_total}. */
  enum Refusal { TOTAL, PER_IP }

  private final IntSupplier maxTotal;
  private final IntSupplier maxPerIp;
  private final Predicate<InetAddress> exempt;
  private final AtomicInteger open = new AtomicInteger();
  /** An entry exists only while its address has a connection open: the map is bounded by the total limit. */
  private final ConcurrentMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();

  ConnectionLimits(IntSupplier maxTotal, IntSupplier maxPerIp, Predicate<InetAddress> exempt) {
    this.maxTotal = maxTotal;
    this.maxPerIp = maxPerIp;
    this.exempt = exempt;
  }

  /**
   * Counts a connection just accepted from {@code peer} against the per-address limit, before its TLS handshake, so
   * a host over its share is turned away before it costs a handshake; false when it is over (nothing counted).
   */
  boolean admitPeer(InetAddress peer) {
    if (exempt.test(peer)) return true;
    int limit = maxPerIp.getAsInt();
    boolean[] admitted = {false};
    perIp.compute(peer, (address, count) -> {
      AtomicInteger c = count == null ? new AtomicInteger() : count;
      if (c.get() < limit) {
        c.incrementAndGet();
        admitted[0] = true;
      }
      return c.get() == 0 ? null : c;
    });
    return admitted[0];
  }

  /**
   * Counts a connection whose handshake is done against the total limit. Not at accept time: a connection that never
   * finishes a handshake is bounded by its deadline ({@code request_header}) and costs little, and counting those in
   * the total would let a flood of silent TCP connections from many addresses lock every real client out.
   */
  boolean admitTotal() {
    if (open.incrementAndGet() > maxTotal.getAsInt()) {
      open.decrementAndGet();
      return false;
    }
    return true;
  }

  /** A connection {@link #admitPeer admitted} for {@code peer} has closed. */
  void releasePeer(InetAddress peer) {
    // An exempt peer has no entry (unless it was not exempt when it arrived, before a reload): nothing to do then.
    perIp.computeIfPresent(peer, (address, count) -> count.decrementAndGet() == 0 ? null : count);
  }

  /** A connection {@link #admitTotal admitted} in the total has closed. */
  void releaseTotal() {
    open.decrementAndGet();
  }

  int open() {
    return open.get();
  }
}
