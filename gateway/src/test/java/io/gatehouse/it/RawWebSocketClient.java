package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * A WebSocket client on a bare TLS socket that does nothing by itself: it answers no PING, so a test decides what the
 * gateway hears back, and it shows every frame as it arrived (RFC 6455 §5.2).
 */
final class RawWebSocketClient implements AutoCloseable {
  static final int TEXT = 0x1;
  static final int PING = 0x9;
  static final int PONG = 0xA;
  private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

  /** One frame as received: {@code first} is the whole first byte (FIN, RSV, opcode). */
  record Frame(int first, boolean masked, byte[] payload) {
    int opcode() { return first & 0x0F; }
    boolean fin() { return (first & 0x80) != 0; }
    String text() { return new String(payload, StandardCharsets.UTF_8); }
  }

  private final SSLSocket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawWebSocketClient(SSLSocket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Opens {@code path} through the gateway with a browser's handshake and asserts the 101. */
  static RawWebSocketClient open(GatewayHarness gateway, String path) throws IOException {
    RawWebSocketClient client = new RawWebSocketClient(gateway.connect());
    client.socket.setSoTimeout(5_000);
    client.out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Origin: https://localhost:8443\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    client.out.flush();
    assertThat(client.readHead()).startsWith("HTTP/1.1 101");
    return client;
  }

  /** The next frame, or null once the gateway has closed the connection; fails if none comes within {@code wait}. */
  Frame read(Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    try {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7F;
      if (length == 126) length = in.readUnsignedShort();
      else if (length == 127) length = in.readLong();
      byte[] mask = new byte[4];
      boolean masked = (second & 0x80) != 0;
      if (masked) in.readFully(mask);
      byte[] payload = new byte[Math.toIntExact(length)];
      in.readFully(payload);
      if (masked) for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
      return new Frame(first, masked, payload);
    } catch (EOFException | SSLException e) {
      return null;
    } catch (SocketException e) {
      if (e.getMessage() != null && e.getMessage().contains("reset")) return null;
      throw e;
    }
  }

  /** Sends one masked frame, as a client must. */
  void send(int first, byte[] payload) throws IOException {
    byte[] frame = new byte[2 + 4 + payload.length];
    assertThat(payload.length).isLessThan(126);
    frame[0] = (byte) first;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(MASK, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) frame[6 + i] = (byte) (payload[i] ^ MASK[i % 4]);
    out.write(frame);
    out.flush();
  }

  void sendText(String text) throws IOException {
    send(0x80 | TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  private String readHead() throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) break;
      head.append((char) b);
    }
    return head.toString();
  }

  @Override public void close() throws IOException {
    socket.close();
  }
}
