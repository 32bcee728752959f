package io.gatehouse.forward;

import io.gatehouse.upstream.UpstreamAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One n8n instance. Passive health: a target that refused a connection is skipped until {@code ejectedUntil}
 * passes, so one dead webhook processor does not fail every other request.
 */
public final class UpstreamTarget {
  private final String host;
  private final int port;
  private final boolean ssl;
  private final UpstreamAddress address;
  /** Not a time: {@code now - NOT_EJECTED} overflows, so it must be tested for, never compared with. */
  private static final long NOT_EJECTED = Long.MIN_VALUE;

  private final AtomicLong ejectedUntilNanos = new AtomicLong(NOT_EJECTED);

  public UpstreamTarget(URI url) {
    this.host = url.getHost();
    this.ssl = "https".equalsIgnoreCase(url.getScheme());
    this.port = url.getPort() > 0 ? url.getPort() : ssl ? 443 : 80;
    this.address = new UpstreamAddress(host, port, ssl);
  }

  public String host() { return host; }
  public int port() { return port; }
  public boolean ssl() { return ssl; }
  /** The key of this target's connection pools. */
  public UpstreamAddress address() { return address; }

  /** {@code host:port}, as n8n expects it in {@code Host} and as the access log names the target. */
  public String authority() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  boolean available(long nowNanos) {
    long until = ejectedUntilNanos.get();
    // With the sentinel compared arithmetically, a positive nanoTime minus Long.MIN_VALUE overflowed to a negative
    // number: every target looked ejected, and a dead one kept being tried on every other request.
    return until == NOT_EJECTED || nowNanos - until >= 0;
  }

  void eject(long nowNanos, long forNanos) {
    ejectedUntilNanos.set(nowNanos + forNanos);
  }

  void restore() {
    ejectedUntilNanos.set(NOT_EJECTED);
  }

  @Override public String toString() {
    return authority();
  }
}
