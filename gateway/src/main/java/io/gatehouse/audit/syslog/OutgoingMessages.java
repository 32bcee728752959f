package io.gatehouse.audit.syslog;

import java.util.ArrayDeque;
import java.util.List;

/**
 * What goes out next, in log order: first the messages to send again after a connection broke, then the queue.
 * A batch that was written is remembered in the {@link ResendWindow}; when the connection breaks, that window and
 * the batch whose write failed go back in front, so nothing taken from the queue is skipped. Used by the
 * forwarder's thread only (the queue itself is shared with the producer).
 */
final class OutgoingMessages {
  private final MessageQueue queue;
  private final ArrayDeque<byte[]> resend = new ArrayDeque<>();
  private final ResendWindow window;
  private final int batchBytes;

  OutgoingMessages(MessageQueue queue, ResendWindow window, int batchBytes) {
    this.queue = queue;
    this.window = window;
    this.batchBytes = batchBytes;
  }

  boolean isEmpty() {
    return resend.isEmpty() && queue.isEmpty();
  }

  /**
   * Fills {@code batch} with up to the batch's bytes (at least one message), waiting up to {@code waitMillis} for a
   * first one when nothing is pending; false when none came.
   */
  boolean takeBatch(List<byte[]> batch, long waitMillis) {
    int bytes = 0;
    while (!resend.isEmpty() && (batch.isEmpty() || bytes + resend.peekFirst().length <= batchBytes)) {
      byte[] message = resend.pollFirst();
      batch.add(message);
      bytes += message.length;
    }
    if (!resend.isEmpty()) return true;
    if (batch.isEmpty()) {
      byte[] first = queue.poll(waitMillis);
      if (first == null) return false;
      batch.add(first);
      bytes += first.length;
    }
    for (byte[] next; (next = queue.peek()) != null && bytes + next.length <= batchBytes; bytes += next.length) {
      batch.add(queue.poll());
    }
    return true;
  }

  /** The batch reached the connection. */
  void written(List<byte[]> batch) {
    window.written(batch);
  }

  /**
   * The connection broke, with {@code unsent} not (or not surely) written: it and what the connection took last go
   * first on the next one. A message that was being written when it broke, or that sat unread in a buffer, may
   * reach the collector twice; its {@code seq} tells the copies apart.
   */
  void connectionLost(List<byte[]> unsent) {
    List<byte[]> again = window.takeRecent();
    again.addAll(unsent);
    for (int i = again.size() - 1; i >= 0; i--) resend.addFirst(again.get(i));
  }

  /** Forgets everything still pending; returns how many messages that was. */
  int discardAll() {
    int left = resend.size();
    resend.clear();
    while (queue.poll() != null) left++;
    return left;
  }
}
