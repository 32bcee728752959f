package io.gatehouse.audit.scrub.body;

import io.gatehouse.audit.scrub.text.ScanState;
import io.gatehouse.audit.scrub.text.Spans;
import io.gatehouse.audit.scrub.text.TextScanner;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

/**
 * Scrubs free text ({@code text/*}, XML and the like) with the text scanner, names included, once the body has
 * ended. Bytes that are not valid in the body's charset become U+FFFD. A body cut at {@code max_payload} loses
 * its last partial word as well, so the start of an identifier the cut split ("123-45-67") is never logged.
 */
public final class TextBodyScrubber implements BodyScrubber {
  /** How far back from a cut the last whole word is looked for. */
  private static final int CUT_LOOKBACK = 64;

  private final TextScanner scanner;
  private final TypeCounts counts;
  private final Charset charset;
  private final BufferedBody body = new BufferedBody();

  public TextBodyScrubber(TextScanner scanner, TypeCounts counts, Charset charset) {
    this.scanner = scanner;
    this.counts = counts;
    this.charset = charset;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    body.write(bytes, offset, length);
  }

  @Override
  public Outcome finish(boolean cut) {
    char[] text = decode(body.array(), body.size(), charset);
    int end = cut ? lastWholeWord(text) : text.length;
    Spans spans = new Spans();
    scanner.scan(text, 0, end, 0, true, new ScanState(), spans);
    for (int i = 0; i < spans.count(); i++) counts.add(spans.type(i));
    StringBuilder out = new StringBuilder(end + 16 * spans.count());
    spans.apply(text, 0, end, out);
    return new Outcome(out.toString(), false);
  }

  /** The end of the text less the word (or the {@value #CUT_LOOKBACK} characters) the cut may have split. */
  static int lastWholeWord(char[] text) {
    int floor = Math.max(0, text.length - CUT_LOOKBACK);
    for (int i = text.length - 1; i >= floor; i--) {
      if (Character.isWhitespace(text[i])) return i + 1;
    }
    return floor;
  }

  static char[] decode(byte[] bytes, int size, Charset charset) {
    CharsetDecoder decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, size));
      char[] text = new char[chars.remaining()];
      chars.get(text);
      return text;
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder never throws", e);
    }
  }
}
