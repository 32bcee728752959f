package io.gatehouse.forward;

import io.gatehouse.config.UpstreamConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named pool of targets used round-robin. Targets that failed to connect are skipped for {@code ejectFor};
 * when every target is ejected the pool still hands one out, so a pool recovers as soon as n8n is back rather
 * than after the ejection runs out.
 */
public final class UpstreamPool {
  private final String name;
  private final List<UpstreamTarget> targets;
  private final long ejectForNanos;
  private final AtomicInteger next = new AtomicInteger();

  public UpstreamPool(UpstreamConfig config, Duration ejectFor) {
    this.name = config.name();
    this.targets = config.urls().stream().map(UpstreamTarget::new).toList();
    this.ejectForNanos = ejectFor.toNanos();
  }

  public String name() { return name; }
  public List<UpstreamTarget> targets() { return targets; }

  /**
   * The order in which to try targets for one request: healthy ones first, starting at the round-robin
   * position, then ejected ones as a last resort.
   */
  public List<UpstreamTarget> attemptOrder() {
    int n = targets.size();
    if (n == 1) return targets;
    int start = Math.floorMod(next.getAndIncrement(), n);
    long now = System.nanoTime();
    List<UpstreamTarget> healthy = new ArrayList<>(n);
    List<UpstreamTarget> ejected = new ArrayList<>(0);
    for (int i = 0; i < n; i++) {
      UpstreamTarget t = targets.get((start + i) % n);
      (t.available(now) ? healthy : ejected).add(t);
    }
    healthy.addAll(ejected);
    return healthy;
  }

  /** The target refused or timed out a connection. */
  public void connectFailed(UpstreamTarget target) {
    target.eject(System.nanoTime(), ejectForNanos);
  }

  /** The target answered. */
  public void connected(UpstreamTarget target) {
    target.restore();
  }
}
