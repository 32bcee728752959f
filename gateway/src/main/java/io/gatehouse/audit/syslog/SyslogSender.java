package io.gatehouse.audit.syslog;

import io.gatehouse.config.HostPort;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/**
 * The forwarder's thread: keeps one connection to the collector, takes messages in batches of up to
 * {@value #BATCH_BYTES} bytes ({@link OutgoingMessages}), frames them ({@link FrameBuffer}) and writes each batch
 * with one call. When the collector cannot be reached, or the connection breaks or is closed by the collector, it
 * waits with {@link ReconnectBackoff} while the queue holds the messages, then connects again and sends again what
 * the broken connection may not have delivered. On {@link #stop} it keeps sending until the queue is empty or the
 * deadline has passed, and counts what is left as dropped.
 */
final class SyslogSender implements Runnable {
  private static final System.Logger LOG = System.getLogger(SyslogForwarder.class.getName());
  static final int BATCH_BYTES = 64 * 1024;
  /** How long an idle thread waits for a message before it looks at the stop flag again. */
  private static final long IDLE_POLL_MILLIS = 100;

  private final HostPort target;
  private final SSLSocketFactory sockets;
  private final SyslogOptions options;
  private final SyslogEvents events;
  private final DropCounter drops;
  private final SocketWatchdog watchdog;
  private final Object wake = new Object();
  private volatile boolean stopping;
  private volatile long stopDeadlineNanos;
  /** Read by {@link #abort()} on the closing thread. */
  private volatile SyslogConnection connection;

  // The sender thread's own.
  private final OutgoingMessages outgoing;
  private final ReconnectBackoff backoff;
  private final ConnectionLog log;
  private final FrameBuffer frames = new FrameBuffer(BATCH_BYTES + SyslogMessageFormatter.MAX_MESSAGE + 16);

  SyslogSender(HostPort target, SSLSocketFactory sockets, SyslogOptions options, SyslogEvents events,
      MessageQueue queue, DropCounter drops, SocketWatchdog watchdog) {
    this.target = target;
    this.sockets = sockets;
    this.options = options;
    this.events = events;
    this.drops = drops;
    this.watchdog = watchdog;
    this.outgoing = new OutgoingMessages(queue, new ResendWindow(options.resendBytes()), BATCH_BYTES);
    this.backoff = new ReconnectBackoff(options.firstBackoff(), options.maxBackoff());
    this.log = new ConnectionLog(target.toString());
  }

  /** Asks the thread to send what is queued until {@code deadlineNanos} ({@link System#nanoTime()}) and stop. */
  void stop(long deadlineNanos) {
    synchronized (wake) {
      stopDeadlineNanos = deadlineNanos;
      stopping = true;
      wake.notifyAll();
    }
  }

  /** Breaks a write that is still under way after the grace; from the closing thread. */
  void abort() {
    SyslogConnection current = connection;
    if (current != null) current.abort();
  }

  @Override
  public void run() {
    List<byte[]> batch = new ArrayList<>();
    while (!(stopping && (System.nanoTime() - stopDeadlineNanos >= 0 || outgoing.isEmpty()))) {
      try {
        log.drops(drops.total());
        if (connection == null && !connect()) {
          pause(backoff.next());
        } else if (connection.ended()) {
          lost(new EOFException("closed by the collector"), List.of());
        } else if (outgoing.takeBatch(batch, IDLE_POLL_MILLIS)) {
          send(batch);
          batch.clear();
        }
      } catch (RuntimeException e) {
        // A bug must not end the only sender: the queue would fill and every later message be dropped.
        LOG.log(Level.ERROR, "audit syslog: unexpected error, continuing", e);
        outgoing.connectionLost(batch);
        batch.clear();
        disconnect();
        pause(backoff.next());
      }
    }
    disconnect();
    giveUp();
  }

  private boolean connect() {
    try {
      connection = SyslogConnection.open(sockets, target, bounded(options.connectTimeout()), watchdog,
          SyslogForwarder.THREAD_NAME + "-reader");
    } catch (IOException | RuntimeException e) {
      events.connectionFailed();
      log.connectFailed(e);
      return false;
    }
    events.connected();
    log.connected(connection.protocol());
    return true;
  }

  private void send(List<byte[]> batch) {
    frames.reset();
    for (byte[] message : batch) frames.frame(message);
    try {
      connection.write(frames.bytes(), frames.size(), bounded(options.writeTimeout()));
    } catch (IOException | RuntimeException e) {
      lost(e, batch);
      return;
    }
    events.sent(batch.size());
    outgoing.written(batch);
    backoff.reset();
    log.delivered();
  }

  private void lost(Exception e, List<byte[]> batch) {
    events.connectionFailed();
    log.connectionLost(e);
    outgoing.connectionLost(batch);
    disconnect();
    pause(backoff.next());
  }

  private void disconnect() {
    SyslogConnection current = connection;
    connection = null;
    if (current != null) current.close();
  }

  /** Waits, cut short by {@link #stop} and never past the stop deadline. */
  private void pause(Duration wait) {
    synchronized (wake) {
      long nanos = wait.toNanos();
      if (stopping) nanos = Math.min(nanos, stopDeadlineNanos - System.nanoTime());
      if (nanos <= 0) return;
      try {
        wake.wait(Math.max(1, nanos / 1_000_000));
      } catch (InterruptedException e) {
        // nobody interrupts this thread; the loop looks at the stop flag anyway
      }
    }
  }

  /** {@code timeout}, or less when stopping so no call outlasts the grace. */
  private Duration bounded(Duration timeout) {
    if (!stopping) return timeout;
    long left = stopDeadlineNanos - System.nanoTime();
    return Duration.ofNanos(Math.max(1_000_000, Math.min(timeout.toNanos(), left)));
  }

  private void giveUp() {
    int left = outgoing.discardAll();
    for (int i = 0; i < left; i++) drops.drop();
    if (left > 0) log.gaveUp(left);
  }
}
