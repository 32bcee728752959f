package io.gatehouse.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends one HTTP/2 request with a header block no client library would build (HPACK carries any octets, CR and LF
 * included), over TLS (ALPN {@code h2}), and reads back what the server did: the response's headers and body, a
 * {@code RST_STREAM}, a {@code GOAWAY}, a close or nothing. Test-only: just enough for one stream, over
 * {@link RawHttp2Connection}'s framing.
 */
public final class RawHttp2Client {
  private static final int DATA = RawHttp2Connection.DATA;
  private static final int HEADERS = RawHttp2Connection.HEADERS;
  private static final int RST_STREAM = RawHttp2Connection.RST_STREAM;
  private static final int SETTINGS = RawHttp2Connection.SETTINGS;
  private static final int GOAWAY = RawHttp2Connection.GOAWAY;
  private static final int CONTINUATION = RawHttp2Connection.CONTINUATION;

  /**
   * @param outcome {@code "response"}, {@code "RST_STREAM n"}, {@code "GOAWAY n"}, {@code "closed"} or
   *     {@code "timeout"}
   * @param headers response headers (lower-case names), pseudo-headers included
   */
  public record Reply(String outcome, Map<String, String> headers, String body) {
    public int status() {
      String status = headers.get(":status");
      return status == null ? -1 : Integer.parseInt(status);
    }

    /** {@code "status 200"} for a response, else the outcome: one string to compare in tests. */
    public String summary() {
      return outcome.equals("response") ? "status " + status() : outcome;
    }
  }

  private RawHttp2Client() {}

  /** Over TLS to the gateway; {@code headers} are sent in order, pseudo-headers included, without any validation. */
  public static Reply send(GatewayHarness gateway, List<Map.Entry<String, String>> headers) throws Exception {
    return send(gateway, headers, null);
  }

  /**
   * As {@link #send(GatewayHarness, List)}, then {@code body} (null: none) in one DATA frame that ends the stream,
   * whatever {@code content-length} the headers declare.
   */
  static Reply send(GatewayHarness gateway, List<Map.Entry<String, String>> headers, byte[] body) throws Exception {
    try (RawHttp2Connection connection = RawHttp2Connection.openTls(gateway.sslContext(), gateway.host(), gateway.port())) {
      return exchange(connection, connection.encode(1, headers), body);
    }
  }

  /**
   * Sends {@code headers} as HPACK literals in exactly the order given. Netty's encoder moves pseudo-headers to the
   * front, so a block with a pseudo-header after a regular one can only be built this way (RFC 7541 §6.2.2,
   * literal without indexing, new name, no Huffman coding).
   */
  static Reply sendInOrder(GatewayHarness gateway, List<Map.Entry<String, String>> headers) throws Exception {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (Map.Entry<String, String> h : headers) {
      block.write(0);
      writeString(block, h.getKey());
      writeString(block, h.getValue());
    }
    try (RawHttp2Connection connection = RawHttp2Connection.openTls(gateway.sslContext(), gateway.host(), gateway.port())) {
      return exchange(connection, block.toByteArray(), null);
    }
  }

  private static void writeString(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    // HPACK integer with a 7-bit prefix (RFC 7541 §5.1), Huffman bit clear.
    int length = bytes.length;
    if (length < 127) {
      out.write(length);
    } else {
      out.write(127);
      for (length -= 127; length >= 128; length >>= 7) out.write((length & 0x7f) | 0x80);
      out.write(length);
    }
    out.write(bytes, 0, bytes.length);
  }

  private static Reply exchange(RawHttp2Connection connection, byte[] requestHeaders, byte[] requestBody)
      throws Exception {
    connection.timeout(Duration.ofSeconds(5));
    try {
      connection.preface(Map.of());
      if (requestBody == null) {
        connection.frame(HEADERS, 0x5, 1, requestHeaders); // END_STREAM | END_HEADERS
      } else {
        connection.frame(HEADERS, 0x4, 1, requestHeaders); // END_HEADERS
        connection.frame(DATA, 0x1, 1, requestBody); // END_STREAM
      }
      connection.flush();

      DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
      Map<String, String> responseHeaders = new TreeMap<>();
      ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        RawHttp2Connection.Frame frame = connection.read();
        byte[] payload = frame.payload();
        if (frame.type() == SETTINGS && (frame.flags() & 0x1) == 0) {
          connection.frame(SETTINGS, 0x1, 0, new byte[0]);
          connection.flush();
        }
        if (frame.type() == GOAWAY) return new Reply("GOAWAY " + readInt(payload, 4), responseHeaders, body.toString(StandardCharsets.UTF_8));
        if (frame.stream() != 1) continue;
        if (frame.type() == RST_STREAM) return new Reply("RST_STREAM " + readInt(payload, 0), responseHeaders, body.toString(StandardCharsets.UTF_8));
        if (frame.type() == HEADERS || frame.type() == CONTINUATION) {
          int from = headerStart(frame.type(), frame.flags(), payload);
          headerBlock.write(payload, from, headerEnd(frame.type(), frame.flags(), payload) - from);
          if ((frame.flags() & 0x4) != 0) { // END_HEADERS
            ByteBuf buf = Unpooled.wrappedBuffer(headerBlock.toByteArray());
            decoder.decodeHeaders(1, buf).forEach(h -> responseHeaders.put(h.getKey().toString(), h.getValue().toString()));
            buf.release();
            headerBlock.reset();
          }
        } else if (frame.type() == DATA) {
          int from = (frame.flags() & 0x8) != 0 ? 1 : 0;
          int to = (frame.flags() & 0x8) != 0 ? payload.length - (payload[0] & 0xff) : payload.length;
          body.write(payload, from, to - from);
        }
        if ((frame.type() == HEADERS || frame.type() == DATA) && (frame.flags() & 0x1) != 0) {
          return new Reply("response", responseHeaders, body.toString(StandardCharsets.UTF_8));
        }
      }
    } catch (SocketTimeoutException e) {
      return new Reply("timeout", Map.of(), "");
    } catch (EOFException e) {
      return new Reply("closed", Map.of(), "");
    }
  }

  private static int headerStart(int type, int flags, byte[] frame) {
    if (type == CONTINUATION) return 0;
    int start = (flags & 0x8) != 0 ? 1 : 0; // PADDED: the pad length byte
    return (flags & 0x20) != 0 ? start + 5 : start; // PRIORITY: stream dependency and weight
  }

  private static int headerEnd(int type, int flags, byte[] frame) {
    return type == HEADERS && (flags & 0x8) != 0 ? frame.length - (frame[0] & 0xff) : frame.length;
  }

  private static int readInt(byte[] b, int offset) {
    return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8) | (b[offset + 3] & 0xff);
  }
}
