package io.gatehouse.audit.capture;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Undoes a body's {@code Content-Encoding} for the scrubber, when it is gzip or deflate: n8n compresses any answer over
 * 1 KiB to a sender that accepts gzip (most HTTP libraries do), and that body would otherwise be logged by size
 * alone. Bounded both ways, so a compression bomb costs nothing: only the captured prefix is read, and at most
 * {@code max_payload} bytes come out. Runs on a scrubbing worker, never on the event loop. Other encodings (br,
 * zstd, chains) are not decoded: the body is then logged by size and HMAC.
 */
final class BodyDecoding {
  private BodyDecoding() {}

  /**
   * What came out: the first {@code length} bytes of {@code bytes}; {@code whole} when the stream ended within the
   * bounds (nothing of the body was left out); {@code failed} when the bytes were not that encoding.
   */
  record Decoded(byte[] bytes, int length, boolean whole, boolean failed) {}

  static boolean decodable(String encoding) {
    return encoding != null && (encoding.equals("gzip") || encoding.equals("x-gzip") || encoding.equals("deflate"));
  }

  static Decoded decode(String encoding, byte[] prefix, int length, int maxOutput) {
    byte[] out = new byte[Math.min(maxOutput, Math.max(1024, length * 4))];
    int n = 0;
    try (InputStream in = open(encoding, new ByteArrayInputStream(prefix, 0, length))) {
      while (n < maxOutput) {
        if (n == out.length) out = Arrays.copyOf(out, Math.min(maxOutput, out.length * 2));
        int read = in.read(out, n, out.length - n);
        if (read < 0) return new Decoded(out, n, true, false);
        n += read;
      }
      return new Decoded(out, n, false, false);
    } catch (java.io.EOFException cut) {
      // The captured prefix ended inside the stream: what came out so far is the start of the body.
      return new Decoded(out, n, false, false);
    } catch (IOException | RuntimeException notThatEncoding) {
      return new Decoded(out, n, false, true);
    }
  }

  /** The streams own their inflaters and end them on close. */
  private static InputStream open(String encoding, InputStream raw) throws IOException {
    if (!encoding.equals("deflate")) return new GZIPInputStream(raw, 8192);
    // RFC 9110's deflate is zlib-wrapped; some servers send raw deflate. Zlib framing is tried; a raw stream then
    // fails as "not that encoding" and is logged by size alone.
    return new InflaterInputStream(raw);
  }
}
