package io.gatehouse.audit.syslog;

import io.gatehouse.audit.AuditSink;
import io.gatehouse.config.AuditConfig;
import io.gatehouse.tls.ClientTlsContext;
import io.gatehouse.tls.TlsMaterialException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocketFactory;

/**
 * Copies the signed audit log to a SIEM: every entry and checkpoint becomes one RFC 5424 message
 * ({@link SyslogMessageFormatter}), sent over TLS with RFC 5425 framing ({@link SyslogSender}) to
 * {@code audit.syslog.url}.
 *
 * <p><b>Never in the log's way.</b> {@link #entry} and {@link #checkpoint} format the message on the caller's thread
 * (a scan of the line and a copy, no I/O) and offer it to a bounded queue; when the queue is full, by count or by
 * bytes ({@link SyslogOptions}), the message is dropped and counted ({@link SyslogEvents#dropped()}). A single daemon
 * thread, {@value #THREAD_NAME}, does all network work, with time-outs on connecting, the handshake and every write,
 * so a hung collector costs queued messages, never a stuck gateway.
 *
 * <p><b>Delivery.</b> In log order, at least once for what was queued while the thread runs: a collector that is down
 * is retried with backoff (0.5 s doubling to 30 s by default) and the queue waits for it; a connection that breaks
 * has its last batch and the tail of what it took sent again on the next one (see {@link ResendWindow}). So a SIEM
 * may see an entry twice and must dedupe by {@code seq} (with {@code origin}). The segment files stay the record: a
 * dropped or cut message is still there, named by its {@code seq}.
 */
public final class SyslogForwarder implements AuditSink {
  /** The sending thread's name, to find it in thread dumps. */
  public static final String THREAD_NAME = "gatehouse-audit-syslog";

  private final SyslogMessageFormatter formatter;
  private final MessageQueue queue;
  private final DropCounter drops;
  private final SocketWatchdog watchdog;
  private final SyslogSender sender;
  private final Thread thread;
  private final Duration closeGrace;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Reads the TLS files and starts the thread, which connects at once (a collector that is down shows in the log
   * and metrics before the first entry is sent).
   *
   * @param config the collector and the TLS files: CA bundle (else the JDK's trust store), client certificate
   * @param replica the replica id, sent as HOSTNAME
   * @param origin the log's checkpoint origin, sent in every message's structured data
   * @throws TlsMaterialException when a TLS file cannot be read or used
   */
  public SyslogForwarder(AuditConfig.Syslog config, String replica, String origin, SyslogOptions options,
      SyslogEvents events) throws TlsMaterialException {
    this(config, replica, origin, options, events, Clock.systemUTC());
  }

  SyslogForwarder(AuditConfig.Syslog config, String replica, String origin, SyslogOptions options,
      SyslogEvents events, Clock clock) throws TlsMaterialException {
    Objects.requireNonNull(events, "events");
    SSLSocketFactory sockets = ClientTlsContext.load(config.ca(), config.cert(), config.key()).getSocketFactory();
    this.formatter = new SyslogMessageFormatter(replica, origin, clock);
    this.queue = new MessageQueue(options.capacity(), options.maxQueuedBytes());
    this.drops = new DropCounter(events);
    this.closeGrace = options.closeGrace();
    this.watchdog = new SocketWatchdog(THREAD_NAME + "-watchdog");
    this.sender = new SyslogSender(config.target(), sockets, options, events, queue, drops, watchdog);
    this.thread = new Thread(sender, THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues the entry's message; never blocks, never throws. */
  @Override
  public void entry(long seq, byte[] line, byte[] leafHash) {
    if (closed.get()) {
      drops.drop();
      return;
    }
    try {
      offer(formatter.entry(seq, line, leafHash));
    } catch (RuntimeException e) {
      // A sink must not fail the log's writer; the entry is in the segment file whatever happens here.
      drops.drop();
    }
  }

  /** Queues the checkpoint's message; never blocks, never throws. */
  @Override
  public void checkpoint(String signedNote) {
    if (closed.get()) {
      drops.drop();
      return;
    }
    try {
      offer(formatter.checkpoint(signedNote));
    } catch (RuntimeException e) {
      drops.drop();
    }
  }

  private void offer(byte[] message) {
    if (!queue.offer(message)) drops.drop();
  }

  /** Messages dropped so far: queue full, after close, or left unsent at close. */
  public long droppedCount() {
    return drops.total();
  }

  /**
   * Sends what is queued for up to the close grace, then stops the thread; later entries are dropped. Blocks for
   * at most the grace and two seconds more. Never throws.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    sender.stop(System.nanoTime() + closeGrace.toNanos());
    boolean interrupted = join(closeGrace.plusSeconds(1));
    if (thread.isAlive()) {
      sender.abort();
      interrupted |= join(Duration.ofSeconds(1));
    }
    watchdog.close();
    if (interrupted) Thread.currentThread().interrupt();
  }

  /** Waits up to {@code wait} for the thread; true when this thread was interrupted meanwhile. */
  private boolean join(Duration wait) {
    try {
      thread.join(Math.max(1, wait.toMillis()));
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }
}
