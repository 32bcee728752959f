package io.gatehouse.forward;

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
  private final AtomicLong ejectedUntilNanos = new AtomicLong(Long.MIN_VALUE);

  public UpstreamTarget(URI url) {
    this.host = url.getHost();
    this.ssl = "https".equalsIgnoreCase(url.getScheme());
    this.port = url.getPort() > 0 ? url.getPort() : ssl ? 443 : 80;
  }

  public String host() { return host; }
  public int port() { return port; }
  public boolean ssl() { return ssl; }

  /** {@code host:port}, as n8n expects it in {@code Host} and as the access log names the target. */
  public String authority() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  boolean available(long nowNanos) {
    return nowNanos - ejectedUntilNanos.get() >= 0;
  }

  void eject(long nowNanos, long forNanos) {
    ejectedUntilNanos.set(nowNanos + forNanos);
  }

  void restore() {
    ejectedUntilNanos.set(Long.MIN_VALUE);
  }

  @Override public String toString() {
    return authority();
  }
}
