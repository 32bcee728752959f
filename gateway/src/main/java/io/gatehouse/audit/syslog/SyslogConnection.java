package io.gatehouse.audit.syslog;

import io.gatehouse.config.HostPort;
import io.gatehouse.tls.TlsEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One TLS connection to the collector (RFC 5425): TLS 1.2 or 1.3 with the listener's AEAD-only suites, the
 * collector's certificate checked against the context's trust and its name against the configured host (endpoint
 * identification {@code HTTPS}: subjectAltName DNS name or IP address).
 *
 * <p>A collector sends nothing back (RFC 5425), but a daemon thread per connection reads anyway: the end of that
 * stream is how a collector that went away while we had nothing to send is noticed at once, rather than by the
 * next write, which can still succeed into our socket buffer and then be lost with it. It also takes TLS 1.3
 * session tickets and a server's late handshake alert (a refused client certificate arrives after the client's
 * handshake is done).
 */
final class SyslogConnection implements AutoCloseable {
  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);
  /**
   * A fixed send buffer instead of one the kernel grows to 4 MiB: it bounds what a dying collector can take with
   * it, which the {@link ResendWindow} must cover, and 1 MiB still fills a 100 Mbit/s path with an 80 ms round trip.
   */
  static final int SEND_BUFFER = 1 << 20;

  private final Socket tcp;
  private final SSLSocket tls;
  private final OutputStream out;
  private final SocketWatchdog watchdog;
  private volatile boolean ended;

  private SyslogConnection(Socket tcp, SSLSocket tls, SocketWatchdog watchdog) throws IOException {
    this.tcp = tcp;
    this.tls = tls;
    this.out = tls.getOutputStream();
    this.watchdog = watchdog;
  }

  private void startReader(String threadName) throws IOException {
    InputStream in = tls.getInputStream();
    tls.setSoTimeout(0); // the reader waits for the end of the stream, however long; closing the socket ends it
    Thread reader = new Thread(() -> {
      byte[] ignored = new byte[512];
      try {
        while (in.read(ignored) >= 0) {
          // anything a collector sends is of no use to us
        }
      } catch (IOException e) {
        // reset, alert or our own close: the end all the same
      }
      ended = true;
    }, threadName);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Connects and completes the handshake within {@code timeout} (the host name is resolved first, with the
   * resolver's own time-outs).
   */
  static SyslogConnection open(SSLSocketFactory factory, HostPort target, Duration timeout, SocketWatchdog watchdog,
      String readerThreadName) throws IOException {
    InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
    if (address.isUnresolved()) throw new UnknownHostException(target.host());
    Socket tcp = new Socket();
    try {
      tcp.setSendBufferSize(SEND_BUFFER);
      return watchdog.within(timeout, tcp, () -> {
        tcp.connect(address, (int) Math.max(1, timeout.toMillis()));
        // Batches are written whole; waiting to coalesce the last segment would only delay them.
        tcp.setTcpNoDelay(true);
        tcp.setKeepAlive(true);
        SSLSocket tls = (SSLSocket) factory.createSocket(tcp, target.host(), target.port(), true);
        tls.setSSLParameters(parameters(tls));
        tls.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        tls.startHandshake();
        SyslogConnection connection = new SyslogConnection(tcp, tls, watchdog);
        connection.startReader(readerThreadName);
        return connection;
      });
    } catch (IOException | RuntimeException e) {
      SocketWatchdog.closeQuietly(tcp);
      throw e;
    }
  }

  private static SSLParameters parameters(SSLSocket tls) {
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setProtocols(supported(PROTOCOLS, tls.getSupportedProtocols()));
    parameters.setCipherSuites(supported(TlsEngine.JDK.cipherSuites(), tls.getSupportedCipherSuites()));
    return parameters;
  }

  private static String[] supported(List<String> wanted, String[] available) {
    List<String> there = Arrays.asList(available);
    return wanted.stream().filter(there::contains).toArray(String[]::new);
  }

  /** True once the collector closed or reset the connection (or it was closed here). */
  boolean ended() {
    return ended;
  }

  /** The negotiated protocol, e.g. {@code TLSv1.3}. */
  String protocol() {
    return tls.getSession().getProtocol();
  }

  /** Writes {@code length} bytes of {@code bytes} and flushes them to the socket within {@code timeout}. */
  void write(byte[] bytes, int length, Duration timeout) throws IOException {
    watchdog.within(timeout, tcp, () -> {
      out.write(bytes, 0, length);
      out.flush();
      return null;
    });
  }

  /** Ends the connection abruptly, from any thread (a stuck write fails at once). */
  void abort() {
    SocketWatchdog.closeQuietly(tcp);
  }

  /** Sends close_notify, briefly, then closes. */
  @Override
  public void close() {
    try {
      watchdog.within(CLOSE_TIMEOUT, tcp, () -> {
        tls.close();
        return null;
      });
    } catch (IOException e) {
      abort();
    }
  }
}
