package io.gatehouse.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Sends one HTTP/2 request with a header block no client library would build (HPACK carries any octets, CR and LF
 * included), over TLS (ALPN {@code h2}) or cleartext prior knowledge (h2c), and reads back what the server did:
 * the response's headers and body, a {@code RST_STREAM}, a {@code GOAWAY}, a close or nothing. Test-only: just
 * enough framing for one stream.
 */
public final class RawHttp2Client {
  private static final int DATA = 0x0;
  private static final int HEADERS = 0x1;
  private static final int RST_STREAM = 0x3;
  private static final int SETTINGS = 0x4;
  private static final int GOAWAY = 0x7;
  private static final int CONTINUATION = 0x9;

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
  static Reply send(GatewayHarness gateway, List<Map.Entry<String, String>> headers) throws Exception {
    try (SSLSocket socket = (SSLSocket) gateway.sslContext().getSocketFactory().createSocket(gateway.host(), gateway.port())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      if (!"h2".equals(socket.getApplicationProtocol())) throw new IllegalStateException("server did not select h2");
      return exchange(socket, headers);
    }
  }

  /** Over cleartext prior knowledge (h2c) to {@code 127.0.0.1:port}. */
  public static Reply sendCleartext(int port, List<Map.Entry<String, String>> headers) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return exchange(socket, headers);
    }
  }

  private static Reply exchange(Socket socket, List<Map.Entry<String, String>> headers) throws Exception {
    Http2Headers block = new DefaultHttp2Headers(false);
    for (Map.Entry<String, String> h : headers) block.add(h.getKey(), h.getValue());
    ByteBuf encoded = Unpooled.buffer();
    new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true).encodeHeaders(1, block, encoded);
    byte[] payload = new byte[encoded.readableBytes()];
    encoded.readBytes(payload);
    encoded.release();

    try {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      writeFrame(out, SETTINGS, 0, 0, new byte[0]);
      writeFrame(out, HEADERS, 0x5, 1, payload); // END_STREAM | END_HEADERS
      out.flush();

      DataInputStream in = new DataInputStream(socket.getInputStream());
      DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
      Map<String, String> responseHeaders = new TreeMap<>();
      ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] frame = new byte[length];
        in.readFully(frame);
        if (type == SETTINGS && (flags & 0x1) == 0) {
          writeFrame(out, SETTINGS, 0x1, 0, new byte[0]);
          out.flush();
        }
        if (type == GOAWAY) return new Reply("GOAWAY " + readInt(frame, 4), responseHeaders, body.toString(StandardCharsets.UTF_8));
        if (stream != 1) continue;
        if (type == RST_STREAM) return new Reply("RST_STREAM " + readInt(frame, 0), responseHeaders, body.toString(StandardCharsets.UTF_8));
        if (type == HEADERS || type == CONTINUATION) {
          headerBlock.write(frame, headerStart(type, flags, frame), headerEnd(type, flags, frame) - headerStart(type, flags, frame));
          if ((flags & 0x4) != 0) { // END_HEADERS
            ByteBuf buf = Unpooled.wrappedBuffer(headerBlock.toByteArray());
            decoder.decodeHeaders(1, buf).forEach(h -> responseHeaders.put(h.getKey().toString(), h.getValue().toString()));
            buf.release();
            headerBlock.reset();
          }
        } else if (type == DATA) {
          int from = (flags & 0x8) != 0 ? 1 : 0;
          int to = (flags & 0x8) != 0 ? frame.length - (frame[0] & 0xff) : frame.length;
          body.write(frame, from, to - from);
        }
        if ((type == HEADERS || type == DATA) && (flags & 0x1) != 0) {
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

  private static void writeFrame(OutputStream out, int type, int flags, int stream, byte[] payload) throws Exception {
    out.write(new byte[] {
        (byte) (payload.length >> 16), (byte) (payload.length >> 8), (byte) payload.length,
        (byte) type, (byte) flags,
        (byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8), (byte) stream});
    out.write(payload);
  }

  private static int readInt(byte[] b, int offset) {
    return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8) | (b[offset + 3] & 0xff);
  }
}
