package io.gatehouse.audit.syslog;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The batches written last on the current connection, so they can be sent again when it breaks. RFC 5425 has no
 * acknowledgement: a write that returned only reached our socket buffer, and what sat there or unread in the
 * collector's buffer when the connection died is lost without either side noticing at the moment. Which messages
 * those were cannot be known, so the most recent ones are sent again, and the collector may receive some twice (it
 * tells them apart by {@code seq}).
 *
 * <p>Bounded by bytes and by age. The bytes ({@link SyslogOptions#resendBytes()}, 8 MiB by default) must cover
 * what can be in flight unread when a collector dies: our send buffer ({@link SyslogConnection#SEND_BUFFER}, which
 * Linux doubles) plus the collector's receive buffer (Linux grows it up to 6 MiB by default). Anything a collector
 * had read but not yet stored when it died is beyond any sender's reach. A live collector reads within
 * milliseconds, so a message written more than {@link #MAX_AGE} ago is taken as delivered; the age limit also keeps
 * a connection that sat idle until a load balancer dropped it (an AWS NLB forgets a flow after 350 s) from sending
 * messages again that were delivered long before.
 */
final class ResendWindow {
  static final Duration MAX_AGE = Duration.ofSeconds(30);

  private record Batch(List<byte[]> messages, long bytes, long writtenNanos) {}

  private final ArrayDeque<Batch> batches = new ArrayDeque<>();
  private final long maxBytes;
  private final long maxAgeNanos;
  private long bytes;

  ResendWindow(long maxBytes) {
    this(maxBytes, MAX_AGE);
  }

  ResendWindow(long maxBytes, Duration maxAge) {
    this.maxBytes = maxBytes;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /** Remembers a batch that was just written, forgetting the oldest batches beyond the window's bytes. */
  void written(List<byte[]> batch) {
    long size = 0;
    for (byte[] message : batch) size += message.length;
    batches.addLast(new Batch(List.copyOf(batch), size, System.nanoTime()));
    bytes += size;
    while (bytes > maxBytes && !batches.isEmpty()) bytes -= batches.removeFirst().bytes();
  }

  /** The messages of the batches written within the age limit, oldest first; forgets everything. */
  List<byte[]> takeRecent() {
    long now = System.nanoTime();
    List<byte[]> recent = new ArrayList<>();
    for (Batch batch : batches) {
      if (now - batch.writtenNanos() <= maxAgeNanos) recent.addAll(batch.messages());
    }
    batches.clear();
    bytes = 0;
    return recent;
  }
}
