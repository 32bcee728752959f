package io.gatehouse.audit.syslog;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * The forwarder's log lines, at most one warning a minute however often the collector flaps: the first failure
 * is logged at once, later ones at most once a minute, and a return only when the loss before it was logged.
 * They name the collector and the error, never a message's contents. Used by the forwarder's thread only.
 */
final class ConnectionLog {
  private static final System.Logger LOG = System.getLogger(SyslogForwarder.class.getName());
  static final Duration INTERVAL = Duration.ofMinutes(1);

  private final String target;
  private boolean everConnected;
  private boolean warnedEver;
  private boolean down;
  private boolean lossReported;
  private long failures;
  private long lastWarnNanos;
  private long reportedDrops;
  private long lastDropLogNanos;

  ConnectionLog(String target) {
    this.target = target;
  }

  void connectFailed(Exception e) {
    failed("cannot connect to", e);
  }

  void connectionLost(Exception e) {
    failed("lost the connection to", e);
  }

  private void failed(String what, Exception e) {
    failures++;
    if (!down) {
      down = true;
      lossReported = false;
    }
    long now = System.nanoTime();
    if (!warnedEver || now - lastWarnNanos >= INTERVAL.toNanos()) {
      LOG.log(Level.WARNING, "audit syslog: " + what + " " + target + " (" + describe(e) + "); " + failures
          + " failed attempt(s) in a row, messages stay queued and are sent when it is back");
      warnedEver = true;
      lastWarnNanos = now;
      lossReported = true;
    }
  }

  void connected(String protocol) {
    if (!everConnected) {
      LOG.log(Level.INFO, "audit syslog: connected to " + target + " (" + protocol + ")");
    } else if (down && lossReported) {
      LOG.log(Level.INFO, "audit syslog: connected to " + target + " again (" + protocol + ") after " + failures
          + " failed attempt(s)");
    }
    everConnected = true;
    down = false;
  }

  /** A batch went through: the next failure starts a new count. */
  void delivered() {
    failures = 0;
  }

  /** Logs new drops, at most once a minute. */
  void drops(long total) {
    if (total == reportedDrops) return;
    long now = System.nanoTime();
    if (reportedDrops == 0 || now - lastDropLogNanos >= INTERVAL.toNanos()) {
      LOG.log(Level.WARNING, "audit syslog: " + (total - reportedDrops) + " message(s) dropped (queue full);"
          + " the segment files still hold them");
      reportedDrops = total;
      lastDropLogNanos = now;
    }
  }

  void gaveUp(int messages) {
    LOG.log(Level.WARNING, "audit syslog: " + messages + " message(s) not sent to " + target + " at shutdown (some"
        + " may have arrived before the connection broke); the segment files still hold them");
  }

  private static String describe(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String text = e.getClass().getSimpleName() + ": " + e.getMessage();
    return root == e ? text : text + "; " + root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
