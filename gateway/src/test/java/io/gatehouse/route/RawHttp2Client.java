package io.gatehouse.route;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Sends one HTTP/2 request over cleartext prior knowledge (h2c) with header blocks that a well-behaved client
 * library would refuse to build, and reports what the server answered: {@code status 200}, {@code RST_STREAM n} or
 * {@code GOAWAY n}. Test-only; just enough framing to probe a server.
 */
final class RawHttp2Client {
  private RawHttp2Client() {}

  /** {@code headers} are sent in order, pseudo-headers included, with no validation at all. */
  static String send(int port, List<Map.Entry<String, String>> headers) throws IOException, Http2Exception {
    Http2Headers block = new DefaultHttp2Headers(false);
    for (Map.Entry<String, String> h : headers) block.add(h.getKey(), h.getValue());
    ByteBuf encoded = Unpooled.buffer();
    new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true).encodeHeaders(1, block, encoded);
    byte[] payload = new byte[encoded.readableBytes()];
    encoded.readBytes(payload);
    encoded.release();

    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      writeFrame(out, 0x4, 0, 0, new byte[0]); // SETTINGS
      writeFrame(out, 0x1, 0x5, 1, payload); // HEADERS, END_STREAM | END_HEADERS
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] body = new byte[length];
        in.readFully(body);
        if (type == 0x4 && (flags & 0x1) == 0) writeFrame(out, 0x4, 0x1, 0, new byte[0]); // ACK their SETTINGS
        if (type == 0x1 && stream == 1) {
          return "status " + status(body, flags);
        }
        if (type == 0x3 && stream == 1) return "RST_STREAM " + readInt(body, 0);
        if (type == 0x7) return "GOAWAY " + readInt(body, 4);
      }
    } catch (SocketTimeoutException e) {
      return "timeout";
    } catch (java.io.EOFException e) {
      return "closed";
    }
  }

  private static void writeFrame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
    out.write(new byte[] {
        (byte) (payload.length >> 16), (byte) (payload.length >> 8), (byte) payload.length,
        (byte) type, (byte) flags,
        (byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8), (byte) stream});
    out.write(payload);
  }

  /**
   * The {@code :status} of a response header block: servers send it first, as an indexed static-table entry for
   * the common codes (RFC 7541 Appendix A), possibly after a one-byte dynamic table size update.
   */
  private static String status(byte[] block, int flags) {
    int i = (flags & 0x8) != 0 ? 1 : 0; // PADDED: skip the pad length byte
    if ((flags & 0x20) != 0) i += 5; // PRIORITY
    while (i < block.length && (block[i] & 0xe0) == 0x20) i++;
    if (i >= block.length) return "?";
    switch (block[i] & 0xff) {
      case 0x88: return "200";
      case 0x89: return "204";
      case 0x8a: return "206";
      case 0x8b: return "304";
      case 0x8c: return "400";
      case 0x8d: return "404";
      case 0x8e: return "500";
      default: return "other(0x" + Integer.toHexString(block[i] & 0xff) + ")";
    }
  }

  private static int readInt(byte[] b, int offset) {
    return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8) | (b[offset + 3] & 0xff);
  }
}
