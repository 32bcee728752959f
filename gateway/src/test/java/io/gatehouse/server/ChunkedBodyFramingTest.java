package io.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.MalformedBodyException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The strict chunked-body reading, fed in one piece and byte by byte (TCP may split anywhere): same verdicts. */
class ChunkedBodyFramingTest {
  private static final long MAX_BODY = 1024;

  /** name, body bytes, expected verdict: "ok" (complete), "400" or "413". */
  static Stream<Arguments> bodies() {
    return Stream.of(
        Arguments.of("one chunk", "5\r\nhello\r\n0\r\n\r\n", "ok"),
        Arguments.of("leading zeros", "0000000000000000000005\r\nhello\r\n0\r\n\r\n", "ok"),
        Arguments.of("upper-case hex", "A\r\n0123456789\r\n0\r\n\r\n", "ok"),
        Arguments.of("extension with a value", "5;name=value\r\nhello\r\n0\r\n\r\n", "ok"),
        Arguments.of("quoted extension with BWS", "5 ; name=\"quo\\\"ted\"\r\nhello\r\n0\r\n\r\n", "ok"),
        Arguments.of("two extensions", "5;a;b=c\r\nhello\r\n0;last\r\n\r\n", "ok"),
        Arguments.of("trailer fields", "5\r\nhello\r\n0\r\nX-T: 1\r\nX-U: 2\r\n\r\n", "ok"),
        Arguments.of("size wrapped to 1 at 32 bits", "100000001\r\nX\r\n0\r\n\r\n", "413"),
        Arguments.of("size wrapped to 0 at 32 bits", "100000000\r\n\r\n", "413"),
        Arguments.of("size over 64 bits", "ffffffffffffffff1\r\n", "413"),
        Arguments.of("sixteen significant digits", "1000000000000000\r\n", "413"),
        Arguments.of("sizes adding up over max_body", "200\r\n" + "a".repeat(512) + "\r\n201\r\n", "413"),
        Arguments.of("empty size", "\r\nhello\r\n", "400"),
        Arguments.of("leading space", " 5\r\nhello\r\n0\r\n\r\n", "400"),
        Arguments.of("leading tab", "\t5\r\nhello\r\n0\r\n\r\n", "400"),
        Arguments.of("non-hex digit", "5g\r\nhello\r\n", "400"),
        Arguments.of("0x prefix", "0x5\r\nhello\r\n", "400"),
        Arguments.of("trailing whitespace", "5 \r\nhello\r\n", "400"),
        Arguments.of("bare LF after the size", "5\nhello\r\n0\r\n\r\n", "400"),
        Arguments.of("bare CR after the size", "5\rhello\r\n", "400"),
        Arguments.of("bare LF after the data", "5\r\nhello\n0\r\n\r\n", "400"),
        Arguments.of("data longer than declared", "5\r\nhello world\r\n0\r\n\r\n", "400"),
        Arguments.of("extension without a name", "5;=x\r\nhello\r\n", "400"),
        Arguments.of("space inside an extension name", "5;na me\r\nhello\r\n", "400"),
        Arguments.of("extension with an empty value", "5;a=\r\nhello\r\n", "400"),
        Arguments.of("unterminated quoted value", "5;a=\"x\r\nhello\r\n", "400"),
        Arguments.of("chunk line over the limit", "5;" + "a".repeat(ChunkedBodyFraming.MAX_CHUNK_LINE) + "\r\n", "400"),
        Arguments.of("bare LF in a trailer", "0\r\nX-T: 1\n\r\n", "400"),
        Arguments.of("bare LF ending the trailers", "0\r\n\n", "400"),
        Arguments.of("bytes after the end", "0\r\n\r\nGET", "400"));
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("bodies")
  void givesTheSameVerdictInOnePieceAndByteByByte(String name, String body, String expected) {
    assertThat(verdict(body, false)).as("in one piece").isEqualTo(expected);
    assertThat(verdict(body, true)).as("byte by byte").isEqualTo(expected);
  }

  private static String verdict(String body, boolean byteByByte) {
    ByteBuf in = Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1);
    ChunkedBodyFraming framing = new ChunkedBodyFraming(MAX_BODY);
    int step = byteByByte ? 1 : in.readableBytes();
    for (int from = 0; from < in.readableBytes(); from += step) {
      MalformedBodyException violation = framing.scan(in, from, Math.min(in.readableBytes(), from + step));
      if (violation != null) return violation.overMaxBody() ? "413" : "400";
    }
    return framing.complete() ? "ok" : "incomplete";
  }
}
