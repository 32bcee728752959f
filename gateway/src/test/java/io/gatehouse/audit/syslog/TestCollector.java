package io.gatehouse.audit.syslog;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A syslog-over-TLS collector on 127.0.0.1 (RFC 5425), as strict as a test needs: each frame must be a length
 * without leading zeros, one space and exactly that many octets; anything else is recorded as an error and ends the
 * connection. It can be killed (every socket closed at once, unread data thrown away, as when a process dies) and a
 * new one started on the same port.
 */
final class TestCollector implements AutoCloseable {
  /** One message as received, on the {@code connection}-th connection (from 1) of the {@code collector}-th one. */
  record Received(int collector, int connection, byte[] bytes) {
    SyslogMessage parsed() {
      return SyslogMessage.parse(bytes);
    }
  }

  private final SSLServerSocket server;
  private final List<Received> received;
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final List<String> clientSubjects = new CopyOnWriteArrayList<>();
  private final AtomicInteger handshakes = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final int generation;
  private final int killAfter;
  private final Duration stallBeforeKill;
  private final boolean reading;
  private volatile boolean killed;

  private TestCollector(SSLServerSocket server, List<Received> received, int generation, int killAfter,
      Duration stallBeforeKill, boolean reading) {
    this.server = server;
    this.received = received;
    this.generation = generation;
    this.killAfter = killAfter;
    this.stallBeforeKill = stallBeforeKill;
    this.reading = reading;
    Thread acceptor = new Thread(this::accept, "test-collector-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Listens on {@code port} (0: any free one); with {@code wantClientCertificate}, refuses clients without one. */
  static TestCollector start(SSLContext context, int port, boolean wantClientCertificate) throws IOException {
    return start(context, port, wantClientCertificate, new CopyOnWriteArrayList<>(), 1, Integer.MAX_VALUE,
        Duration.ZERO);
  }

  /**
   * As {@link #start(SSLContext, int, boolean)}, adding what arrives to {@code into} (shared with an earlier
   * collector on the port, {@code generation} telling them apart). Once {@code into} holds {@code killAfter}
   * messages it stops reading for {@code stallBeforeKill}, as a busy collector does, so the sender's writes pile up
   * unread in the socket buffers, and then kills itself.
   */
  static TestCollector start(SSLContext context, int port, boolean wantClientCertificate, List<Received> into,
      int generation, int killAfter, Duration stallBeforeKill) throws IOException {
    SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    server.setNeedClientAuth(wantClientCertificate);
    return new TestCollector(server, into, generation, killAfter, stallBeforeKill, true);
  }

  /**
   * A collector that completes each handshake and then never reads, as a hung one does; its small receive buffer
   * fills after a few kilobytes.
   */
  static TestCollector startStalled(SSLContext context) throws IOException {
    SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    server.setReceiveBufferSize(4096);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return new TestCollector(server, new CopyOnWriteArrayList<>(), 1, Integer.MAX_VALUE, Duration.ZERO, false);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Everything received so far, in arrival order. */
  List<Received> received() {
    return new ArrayList<>(received);
  }

  List<String> errors() {
    return List.copyOf(errors);
  }

  /** Handshakes that completed. */
  int handshakes() {
    return handshakes.get();
  }

  /** TCP connections accepted, whether or not their handshake completed. */
  int accepted() {
    return accepted.get();
  }

  /** Subject DNs of the client certificates presented, one per completed handshake that had one. */
  List<String> clientSubjects() {
    return List.copyOf(clientSubjects);
  }

  /** Closes the listener and every connection at once; what was not read yet is lost. */
  void kill() {
    killed = true;
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    for (Socket socket : connections) {
      try {
        socket.setSoLinger(true, 0); // RST: unread data is thrown away, as when the process dies
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }

  @Override
  public void close() {
    kill();
  }

  static void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
    if (!waitFor(condition, within)) throw new AssertionError("timed out waiting for " + what);
  }

  /** Whether {@code condition} held within the time; the caller asserts, with a message of its own. */
  static boolean waitFor(BooleanSupplier condition, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) return false;
      Thread.sleep(10);
    }
    return true;
  }

  private void accept() {
    while (!killed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      connections.add(socket);
      int number = accepted.get();
      Thread reader = new Thread(() -> read((SSLSocket) socket, number), "test-collector-read-" + number);
      reader.setDaemon(true);
      reader.start();
    }
  }

  private void read(SSLSocket socket, int connection) {
    try (socket) {
      socket.startHandshake();
      handshakes.incrementAndGet();
      try {
        clientSubjects.add(((X509Certificate) socket.getSession().getPeerCertificates()[0])
            .getSubjectX500Principal().getName());
      } catch (SSLPeerUnverifiedException e) {
        // no client certificate: fine unless the test asked for one
      }
      while (!reading && !killed) sleepQuietly();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      byte[] message;
      while (!killed && (message = readFrame(in)) != null) {
        received.add(new Received(generation, connection, message));
        if (received.size() >= killAfter) {
          Thread.sleep(stallBeforeKill.toMillis());
          kill();
        }
      }
    } catch (IOException e) {
      // a refused handshake, a kill, or the client going away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One frame, null at a clean end between frames; a malformed one is recorded and ends the connection. */
  private byte[] readFrame(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) return null;
    if (b < '1' || b > '9') return malformed("frame does not start with a non-zero digit: " + b);
    long length = b - '0';
    while ((b = in.read()) != ' ') {
      if (b < '0' || b > '9') return malformed("MSG-LEN followed by " + b + ", not a space");
      length = length * 10 + (b - '0');
      if (length > 1_000_000) return malformed("MSG-LEN over a million");
    }
    byte[] message = in.readNBytes((int) length);
    if (message.length < length) return malformed("frame cut short: " + message.length + " of " + length);
    if (length > SyslogMessageFormatter.MAX_MESSAGE) errors.add("message of " + length + " octets");
    return message;
  }

  private byte[] malformed(String why) throws IOException {
    if (!killed) errors.add(why);
    throw new IOException(why);
  }
}
