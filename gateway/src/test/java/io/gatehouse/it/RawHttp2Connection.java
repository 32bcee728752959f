package io.gatehouse.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/2 connection at the frame level, for tests that must send what no client library would: any frame type
 * and flags on any stream, in any number, with or without reading what comes back. Writes are buffered until
 * {@link #flush()}; a write the server no longer accepts throws, as it would for an attacker.
 *
 * <p>Reading is either in the caller's thread ({@link #read()}) or, after {@link #startReading()}, in a daemon
 * thread that collects every frame until the connection ends, so a flood can be written while the gateway's
 * answer (a {@code GOAWAY}, resets) is recorded; {@link #awaitEnd} then says how the connection ended.
 */
public final class RawHttp2Connection implements AutoCloseable {
  public static final int DATA = 0x0;
  public static final int HEADERS = 0x1;
  public static final int RST_STREAM = 0x3;
  public static final int SETTINGS = 0x4;
  public static final int PING = 0x6;
  public static final int GOAWAY = 0x7;
  public static final int WINDOW_UPDATE = 0x8;
  public static final int CONTINUATION = 0x9;

  public static final int END_STREAM = 0x1;
  public static final int ACK = 0x1;
  public static final int END_HEADERS = 0x4;

  public static final int SETTINGS_HEADER_TABLE_SIZE = 0x1;
  public static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;

  /** One frame as read off the wire. */
  public record Frame(int type, int flags, int stream, byte[] payload) {}

  /**
   * How a connection ended, as far as the client could see.
   *
   * @param outcome {@code "GOAWAY <code>"}, {@code "closed"} (end of stream or reset without a GOAWAY read) or
   *     {@code "open"} (still open at the deadline)
   * @param resets RST_STREAM frames received, by error code
   * @param frames every frame received, by type
   * @param goAwayDebug the GOAWAY's debug data (Netty puts its reason there), empty without one
   */
  public record Ending(String outcome, Map<Long, Integer> resets, Map<Integer, Integer> frames, Duration after,
      String goAwayDebug) {
    public int resetsWith(long code) {
      return resets.getOrDefault(code, 0);
    }

    public int framesOf(int type) {
      return frames.getOrDefault(type, 0);
    }
  }

  private static final Frame END = new Frame(-1, 0, 0, new byte[0]);

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final Http2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true);
  private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
  private final long opened = System.nanoTime();
  private final Map<Long, Integer> resets = new TreeMap<>();
  private final Map<Integer, Integer> frameCounts = new TreeMap<>();
  private volatile boolean ended;
  private String outcome = "open";
  private String goAwayDebug = "";

  RawHttp2Connection(Socket socket) throws IOException {
    this.socket = socket;
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** A TLS connection with ALPN {@code h2} (failing if the server picks anything else); no preface sent yet. */
  public static RawHttp2Connection openTls(SSLContext trust, String host, int port) throws IOException {
    return openTls(trust, host, port, 0);
  }

  /**
   * As {@link #openTls(SSLContext, String, int)} with a fixed receive buffer ({@code 0}: the system's, which
   * grows to tens of MiB on loopback), so a client that stops reading pushes back on the server after a few KiB.
   */
  public static RawHttp2Connection openTls(SSLContext trust, String host, int port, int receiveBuffer)
      throws IOException {
    SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket();
    if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new java.net.InetSocketAddress(host, port), 5_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setApplicationProtocols(new String[] {"h2"});
    socket.setSSLParameters(parameters);
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    if (!"h2".equals(socket.getApplicationProtocol())) {
      socket.close();
      throw new IllegalStateException("server did not select h2");
    }
    return new RawHttp2Connection(socket);
  }

  /** The client preface and a SETTINGS frame with {@code settings} (identifier to value), flushed. */
  public RawHttp2Connection preface(Map<Integer, Integer> settings) throws IOException {
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    byte[] payload = new byte[settings.size() * 6];
    int i = 0;
    for (Map.Entry<Integer, Integer> s : settings.entrySet()) {
      payload[i] = (byte) (s.getKey() >> 8);
      payload[i + 1] = (byte) (int) s.getKey();
      putInt(payload, i + 2, s.getValue());
      i += 6;
    }
    frame(SETTINGS, 0, 0, payload);
    flush();
    return this;
  }

  /** Buffers one frame; nothing is checked, so any length, type, flags and stream can be sent. */
  public synchronized void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    out.write(new byte[] {
        (byte) (payload.length >> 16), (byte) (payload.length >> 8), (byte) payload.length,
        (byte) type, (byte) flags,
        (byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8), (byte) stream});
    out.write(payload);
  }

  public synchronized void flush() throws IOException {
    out.flush();
  }

  /** A header block for {@code stream} from this connection's HPACK encoder (its dynamic table persists). */
  public byte[] encode(int stream, List<Map.Entry<String, String>> headers) throws Exception {
    Http2Headers block = new DefaultHttp2Headers(false);
    for (Map.Entry<String, String> h : headers) block.add(h.getKey(), h.getValue());
    ByteBuf encoded = Unpooled.buffer();
    try {
      encoder.encodeHeaders(stream, block, encoded);
      byte[] payload = new byte[encoded.readableBytes()];
      encoded.readBytes(payload);
      return payload;
    } finally {
      encoded.release();
    }
  }

  /** A GET for {@code path} on {@code localhost}, as a header block of this connection's encoder. */
  public byte[] get(int stream, String path) throws Exception {
    return encode(stream, List.of(Map.entry(":method", "GET"), Map.entry(":scheme", "https"),
        Map.entry(":authority", "localhost"), Map.entry(":path", path)));
  }

  /** How long {@link #read()} waits before it throws {@link java.net.SocketTimeoutException}. */
  public void timeout(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
  }

  /** Reads the next frame in the caller's thread. */
  public Frame read() throws IOException {
    int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int stream = in.readInt() & 0x7fffffff;
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(type, flags, stream, payload);
  }

  /**
   * Reads every frame from now on in a daemon thread, acknowledging the server's SETTINGS, until the connection
   * ends; read errors and end of stream both count as the gateway closing it.
   */
  public RawHttp2Connection startReading() throws IOException {
    socket.setSoTimeout(0);
    Thread reader = new Thread(() -> {
      try {
        while (true) {
          Frame frame = read();
          if (frame.type() == SETTINGS && (frame.flags() & ACK) == 0) {
            frame(SETTINGS, ACK, 0, new byte[0]);
            flush();
          }
          record(frame);
          received.add(frame);
        }
      } catch (IOException closedOrReset) {
        // The end of the connection, however it came: recorded below.
      } finally {
        synchronized (this) {
          if (outcome.equals("open")) outcome = "closed";
        }
        ended = true;
        received.add(END);
      }
    }, "raw-h2-reader");
    reader.setDaemon(true);
    reader.start();
    return this;
  }

  private synchronized void record(Frame frame) {
    frameCounts.merge(frame.type(), 1, Integer::sum);
    if (frame.type() == RST_STREAM) resets.merge(readUnsigned(frame.payload(), 0), 1, Integer::sum);
    if (frame.type() == GOAWAY && outcome.equals("open")) {
      outcome = "GOAWAY " + readUnsigned(frame.payload(), 4);
      goAwayDebug = new String(frame.payload(), 8, frame.payload().length - 8, StandardCharsets.UTF_8);
    }
  }

  /** The next frame the reader thread collected, or null if none came within {@code timeout} or it ended. */
  public Frame poll(Duration timeout) throws InterruptedException {
    Frame frame = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return frame == END ? null : frame;
  }

  /**
   * Waits until the reader has acknowledged the gateway's SETTINGS, so no ACK can fall inside a header block the
   * test is about to split over several frames (the gateway would rightly call that a protocol error).
   */
  public RawHttp2Connection awaitSettingsAcknowledged() throws InterruptedException {
    long until = System.nanoTime() + 5_000_000_000L;
    while (snapshot().framesOf(SETTINGS) == 0 && !ended && System.nanoTime() < until) Thread.sleep(1);
    return this;
  }

  /** Whether the reader thread saw the connection end. */
  public boolean ended() {
    return ended;
  }

  /**
   * Waits until the gateway sent a GOAWAY or closed the connection, or {@code deadline} passed (outcome
   * {@code "open"}). A GOAWAY ends the wait at once: the close that follows it is not waited for.
   */
  public Ending awaitEnd(Duration deadline) throws InterruptedException {
    long until = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < until && !answered()) Thread.sleep(1);
    return snapshot();
  }

  /** Whether the gateway has sent a GOAWAY or closed the connection. */
  public synchronized boolean answered() {
    return ended || outcome.startsWith("GOAWAY");
  }

  /**
   * Calls {@code batch} (which writes some frames) and flushes, up to {@code batches} times, pausing
   * {@code pause} after each flush for the gateway's answer and stopping at the first: an attacker who writes on
   * after a GOAWAY only makes the server's kernel reset the connection, and the GOAWAY is lost with the reset.
   */
  public Ending floodUntilAnswered(int batches, Duration pause, Batch batch) throws Exception {
    try {
      for (int i = 0; i < batches && !answered(); i++) {
        batch.write(i);
        flush();
        awaitEnd(pause);
      }
    } catch (IOException closedByGateway) {
      // The reader may still have the gateway's GOAWAY to read: the reset that failed this write came after it.
      awaitEnd(Duration.ofSeconds(2));
      writeFailed();
    }
    return awaitEnd(Duration.ofSeconds(5));
  }

  /** Writes one batch of an attack's frames. */
  @FunctionalInterface
  public interface Batch {
    void write(int index) throws Exception;
  }

  /** How the connection stands now. */
  public synchronized Ending snapshot() {
    return new Ending(outcome, Map.copyOf(resets), Map.copyOf(frameCounts), Duration.ofNanos(System.nanoTime() - opened),
        goAwayDebug);
  }

  /** Marks the connection ended by a failed write (the gateway closed it) when the reader has not seen it yet. */
  public synchronized void writeFailed() {
    if (outcome.equals("open")) outcome = "closed";
  }

  public static void putInt(byte[] b, int offset, int value) {
    b[offset] = (byte) (value >> 24);
    b[offset + 1] = (byte) (value >> 16);
    b[offset + 2] = (byte) (value >> 8);
    b[offset + 3] = (byte) value;
  }

  public static byte[] intPayload(int value) {
    byte[] b = new byte[4];
    putInt(b, 0, value);
    return b;
  }

  private static long readUnsigned(byte[] b, int offset) {
    return ((b[offset] & 0xffL) << 24) | ((b[offset + 1] & 0xffL) << 16) | ((b[offset + 2] & 0xffL) << 8) | (b[offset + 3] & 0xffL);
  }

  @Override public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already closed by the gateway: nothing left to release.
    }
  }
}
