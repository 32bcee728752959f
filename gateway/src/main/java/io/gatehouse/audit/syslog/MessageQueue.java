package io.gatehouse.audit.syslog;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The formatted messages between the audit log's writer thread and the forwarder's thread, bounded both in count
 * and in bytes. {@link #offer} never waits. One producer and one consumer: the consumer may look at the head and then
 * take it.
 */
final class MessageQueue {
  private final ArrayBlockingQueue<byte[]> messages;
  private final long maxBytes;
  private final AtomicLong bytes = new AtomicLong();

  MessageQueue(int capacity, long maxBytes) {
    this.messages = new ArrayBlockingQueue<>(capacity);
    this.maxBytes = maxBytes;
  }

  /** False, at once, when the queue is full by count or by bytes. */
  boolean offer(byte[] message) {
    if (bytes.addAndGet(message.length) > maxBytes) {
      bytes.addAndGet(-message.length);
      return false;
    }
    if (messages.offer(message)) return true;
    bytes.addAndGet(-message.length);
    return false;
  }

  /** The oldest message without taking it, or null. */
  byte[] peek() {
    return messages.peek();
  }

  /** Takes the oldest message, waiting up to {@code millis} for one; null when none came. */
  byte[] poll(long millis) {
    try {
      return taken(messages.poll(millis, TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Takes the oldest message, or null. */
  byte[] poll() {
    return taken(messages.poll());
  }

  boolean isEmpty() {
    return messages.isEmpty();
  }

  int size() {
    return messages.size();
  }

  private byte[] taken(byte[] message) {
    if (message != null) bytes.addAndGet(-message.length);
    return message;
  }
}
