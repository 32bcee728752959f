package io.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.MalformedBodyException;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the decoder hands Vert.x for chunked bodies, in one piece and byte by byte. */
class StrictRequestDecoderChunkedTest {
  private static final String HEAD = "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

  @Test void withdrawsTheWrappedChunkAndDecodesNothingAfterIt() {
    for (boolean byteByByte : new boolean[] {false, true}) {
      List<String> decoded = decode(HEAD + "5\r\nhello\r\n100000001\r\nX\r\n0\r\n\r\n" + SMUGGLED, byteByByte);

      assertThat(decoded).as("byte by byte: " + byteByByte)
          .containsExactly("request /a", "content hello", "failed 413 chunk sizes over max_body");
    }
  }

  @Test void startsEachMessageAfreshSoAPipelinedRequestIsDecoded() {
    for (boolean byteByByte : new boolean[] {false, true}) {
      List<String> decoded = decode(HEAD + "3;x\r\nabc\r\n0\r\nX-T: 1\r\n\r\n" + SMUGGLED, byteByByte);

      assertThat(decoded).as("byte by byte: " + byteByByte)
          .containsExactly("request /a", "content abc", "last", "request /smuggled", "last");
    }
  }

  private static List<String> decode(String bytes, boolean byteByByte) {
    EmbeddedChannel channel = new EmbeddedChannel(new StrictRequestDecoder(new io.netty.handler.codec.http.HttpDecoderConfig(), 1024, () -> { }));
    byte[] all = bytes.getBytes(StandardCharsets.ISO_8859_1);
    int step = byteByByte ? 1 : all.length;
    for (int i = 0; i < all.length; i += step) {
      channel.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(step, all.length - i)));
    }
    List<String> decoded = new ArrayList<>();
    for (Object message; (message = channel.readInbound()) != null; ) {
      decoded.add(describe((HttpObject) message));
      ReferenceCountUtil.release(message);
    }
    channel.finishAndReleaseAll();
    return mergeContent(decoded);
  }

  private static String describe(HttpObject message) {
    if (message.decoderResult().cause() instanceof MalformedBodyException e) {
      return "failed " + (e.overMaxBody() ? 413 : 400) + " " + e.getMessage();
    }
    if (message instanceof HttpRequest request) return "request " + request.uri();
    HttpContent content = (HttpContent) message;
    String text = content.content().toString(StandardCharsets.ISO_8859_1);
    if (message instanceof LastHttpContent) return text.isEmpty() ? "last" : "content " + text + "|last";
    return "content " + text;
  }

  /** Byte by byte, Netty hands chunk data over a byte at a time: join neighbouring content for comparison. */
  private static List<String> mergeContent(List<String> decoded) {
    List<String> merged = new ArrayList<>();
    for (String item : decoded) {
      int last = merged.size() - 1;
      if (item.startsWith("content ") && last >= 0 && merged.get(last).startsWith("content ")) {
        merged.set(last, merged.get(last) + item.substring("content ".length()));
      } else {
        merged.add(item);
      }
    }
    return merged;
  }
}
