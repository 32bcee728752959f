package io.gatehouse.audit.syslog;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Puts a deadline on blocking socket calls that have none of their own. A blocking write has no time-out in the
 * JDK ({@code SO_TIMEOUT} covers reads only), so a collector that accepts and then stops reading would hold the
 * forwarder's thread for good once the socket buffers are full. When the deadline passes, the watchdog closes the
 * TCP socket under the call, which makes it fail at once; the call then reports a {@link SocketTimeoutException}.
 * The plain socket is closed, not the TLS one: closing TLS first sends close_notify, which would wait for the very
 * write lock the stuck call holds.
 */
final class SocketWatchdog implements AutoCloseable {
  /** A blocking call on a socket. */
  interface Call<T> {
    T run() throws IOException;
  }

  private final ScheduledThreadPoolExecutor timer;

  SocketWatchdog(String threadName) {
    timer = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, threadName);
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  /** Runs {@code call}; if it takes longer than {@code timeout}, closes {@code socket} to end it. */
  <T> T within(Duration timeout, Socket socket, Call<T> call) throws IOException {
    AtomicBoolean fired = new AtomicBoolean();
    ScheduledFuture<?> alarm = timer.schedule(() -> {
      fired.set(true);
      closeQuietly(socket);
    }, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    try {
      return call.run();
    } catch (IOException e) {
      if (!fired.get()) throw e;
      SocketTimeoutException timedOut = new SocketTimeoutException("no progress within " + timeout.toMillis() + " ms");
      timedOut.initCause(e);
      throw timedOut;
    } finally {
      alarm.cancel(false);
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing is all that was asked; a socket that cannot even be closed is gone anyway
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
