package io.gatehouse.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * What the gateway wrote back on one raw HTTP/1.1 connection, and whether it closed that connection. Tests that
 * send bytes no client library would build (smuggling shapes, unnormalized targets) read the answer through this.
 *
 * @param text everything received, as ISO-8859-1
 * @param closed true when the gateway closed (or reset) the connection before {@code wait} ran out
 */
record RawReply(String text, boolean closed) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Sends {@code request} on a fresh TLS connection and reads until the gateway closes it or stays silent for
   * {@code wait}.
   */
  static RawReply exchange(GatewayHarness gateway, String request, Duration wait) throws IOException {
    try (SSLSocket socket = gateway.connect()) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return read(socket, wait);
    }
  }

  /** Reads from an open connection until it is closed or silent for {@code wait}. */
  static RawReply read(SSLSocket socket, Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    boolean closed;
    try {
      int n;
      while ((n = in.read(buffer)) > 0) received.write(buffer, 0, n);
      closed = n < 0;
    } catch (SocketTimeoutException silent) {
      closed = false;
    } catch (SSLException | SocketException reset) {
      // A TCP reset or a TLS close without close_notify: the gateway dropped the connection.
      closed = true;
    }
    return new RawReply(received.toString(StandardCharsets.ISO_8859_1), closed);
  }

  /** The status code of the first response, or -1 when nothing came back. */
  int status() {
    if (!text.startsWith("HTTP/1.")) return -1;
    return Integer.parseInt(text.substring(9, 12));
  }

  /** The first value of a header of the first response (case-insensitive name), or null. */
  String header(String name) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) return null;
    for (String line : text.substring(0, end).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return line.substring(colon + 1).strip();
    }
    return null;
  }

  /** The body of the first response, by its Content-Length. */
  String body() {
    int start = text.indexOf("\r\n\r\n");
    if (start < 0) return "";
    String length = header("Content-Length");
    int from = start + 4;
    int to = length == null ? text.length() : Math.min(text.length(), from + Integer.parseInt(length));
    return text.substring(from, to);
  }

  JsonNode json() throws IOException {
    return JSON.readTree(body());
  }

  /**
   * How many HTTP responses arrived on the connection (status lines; a body may directly precede one, and the
   * bodies in these tests never contain one).
   */
  int responses() {
    int count = 0;
    // HTTP/1.0 too: a request line Netty could not parse is answered as 1.0, its version being unknown.
    for (int i = text.indexOf("HTTP/1."); i >= 0; i = text.indexOf("HTTP/1.", i + 1)) {
      if (text.startsWith(" ", i + 8)) count++;
    }
    return count;
  }
}
