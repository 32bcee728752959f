package io.gatehouse.server;

import io.gatehouse.core.MalformedBodyException;
import io.netty.buffer.ByteBuf;

/**
 * A strict reading of one chunked request body (RFC 9112 §7.1), run over the same bytes Netty decodes, so that the
 * gateway only accepts a body every other HTTP parser frames the same way. Netty 4.2 reads a chunk size into an
 * {@code int}: {@code 100000001} becomes 1 where HAProxy, Envoy, Go and Node read 4 GiB, and the rest of the body
 * becomes a request of its own here. This parser reads sizes as 63-bit numbers and refuses whatever is not exactly:
 *
 * <pre>
 *   chunk-line = 1*HEXDIG *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] ) CRLF
 *   chunk      = chunk-line chunk-data CRLF          ; last chunk: size 0, then trailer lines and CRLF
 * </pre>
 *
 * Extensions are checked and ignored; trailer lines are only delimited (Netty validates the fields). The bytes
 * may arrive split anywhere: all state is kept between calls. One instance reads one message.
 */
final class ChunkedBodyFraming {
  /** Fifteen hex digits are 60 bits: any longer significant part could overflow a signed 64-bit size. */
  private static final int MAX_SIGNIFICANT_DIGITS = 15;
  /** Leading zeros and extensions are legal but must not make a size line unbounded. */
  static final int MAX_CHUNK_LINE = 4096;

  private enum State {
    SIZE_START, SIZE, BWS_BEFORE_SEMI, NAME_START, NAME, AFTER_NAME, VALUE_START, TOKEN_VALUE, QUOTED, QUOTED_PAIR,
    AFTER_VALUE, LINE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER, TRAILER_LF, END_LF, DONE
  }

  private final long maxBody;
  private State state = State.SIZE_START;
  private int lineLength;
  private int significantDigits;
  /** The size being read; 0 outside a chunk line. */
  private long size;
  private long remaining;
  /** The sizes of the chunks before this one. */
  private long declared;

  ChunkedBodyFraming(long maxBody) {
    this.maxBody = maxBody;
  }

  /** Whether the last chunk and the trailer section have been read: the next byte is another message's. */
  boolean complete() {
    return state == State.DONE;
  }

  /** Reads {@code in[from, to)}; null while the framing is sound, otherwise why it is not (and nothing more). */
  MalformedBodyException scan(ByteBuf in, int from, int to) {
    for (int i = from; i < to; i++) {
      if (state == State.DATA) {
        int take = (int) Math.min(remaining, to - i);
        remaining -= take;
        i += take - 1;
        if (remaining == 0) state = State.DATA_CR;
        continue;
      }
      String problem = step(in.getByte(i));
      if (problem != null) return new MalformedBodyException(problem, false);
      // Checked digit by digit, so a wrapped size (100000001) is refused before its line even ends.
      if (declared + size > maxBody) return new MalformedBodyException("chunk sizes over max_body", true);
      // Netty frames a chunk with an int; a larger size is one it would read differently, whatever max_body says.
      if (size > Integer.MAX_VALUE) return new MalformedBodyException("chunk size over 2 GiB", true);
    }
    return null;
  }

  private String step(byte b) {
    if (state.compareTo(State.LINE_LF) <= 0 && ++lineLength > MAX_CHUNK_LINE) return "chunk line too long";
    switch (state) {
      case SIZE_START -> {
        if (hex(b) < 0) return "chunk size is not hex digits";
        size = hex(b);
        significantDigits = size == 0 ? 0 : 1;
        state = State.SIZE;
      }
      case SIZE -> {
        if (hex(b) >= 0) {
          if (significantDigits > 0 || hex(b) > 0) significantDigits++;
          if (significantDigits > MAX_SIGNIFICANT_DIGITS) return "chunk size over 63 bits";
          size = size * 16 + hex(b);
          return null;
        }
        return endOfToken(b, "chunk size is not hex digits");
      }
      case BWS_BEFORE_SEMI -> {
        if (b == ';') state = State.NAME_START;
        else if (!whitespace(b)) return "whitespace in a chunk line not before ';'";
      }
      case NAME_START -> {
        if (tchar(b)) state = State.NAME;
        else if (!whitespace(b)) return "chunk extension without a name";
      }
      case NAME -> {
        if (b == '=') state = State.VALUE_START;
        else if (whitespace(b)) state = State.AFTER_NAME;
        else return endOfToken(b, "chunk extension name is not a token");
      }
      case AFTER_NAME -> {
        if (b == '=') state = State.VALUE_START;
        else if (b == ';') state = State.NAME_START;
        else if (!whitespace(b)) return "whitespace in a chunk line not before ';' or '='";
      }
      case VALUE_START -> {
        if (b == '"') state = State.QUOTED;
        else if (tchar(b)) state = State.TOKEN_VALUE;
        else if (!whitespace(b)) return "chunk extension value is not a token or quoted string";
      }
      case TOKEN_VALUE -> {
        return endOfToken(b, "chunk extension value is not a token");
      }
      case QUOTED -> {
        if (b == '"') state = State.AFTER_VALUE;
        else if (b == '\\') state = State.QUOTED_PAIR;
        else if (!qdtext(b)) return "control byte in a quoted chunk extension";
      }
      case QUOTED_PAIR -> {
        if (!qdtext(b) && b != '"' && b != '\\') return "control byte in a quoted chunk extension";
        state = State.QUOTED;
      }
      case AFTER_VALUE -> {
        return endOfToken(b, "bytes after a quoted chunk extension");
      }
      case LINE_LF -> {
        if (b != '\n') return "bare CR in a chunk line";
        lineLength = 0;
        remaining = size;
        declared += size;
        size = 0;
        state = remaining == 0 ? State.TRAILER_START : State.DATA;
      }
      case DATA_CR -> {
        if (b != '\r') return "chunk data longer than its size";
        state = State.DATA_LF;
      }
      case DATA_LF -> {
        if (b != '\n') return "chunk data not followed by CRLF";
        state = State.SIZE_START;
      }
      case TRAILER_START, TRAILER -> {
        if (b == '\n') return "bare LF in the trailer section";
        if (b == '\r') state = state == State.TRAILER_START ? State.END_LF : State.TRAILER_LF;
        else state = State.TRAILER;
      }
      case TRAILER_LF -> {
        if (b != '\n') return "bare CR in a trailer line";
        state = State.TRAILER_START;
      }
      case END_LF -> {
        if (b != '\n') return "bare CR after the trailer section";
        state = State.DONE;
      }
      case DONE -> {
        return "bytes after the end of the chunked body";
      }
      default -> throw new IllegalStateException(state.name());
    }
    return null;
  }

  /** After a size, name or value: what may follow a token in a chunk line; {@code otherwise} if nothing may. */
  private String endOfToken(byte b, String otherwise) {
    if (b == '\r') state = State.LINE_LF;
    else if (b == ';') state = State.NAME_START;
    else if (whitespace(b)) state = State.BWS_BEFORE_SEMI;
    else if (b == '\n') return "bare LF in a chunk line";
    else if (state == State.TOKEN_VALUE && tchar(b)) return null;
    else if (state == State.NAME && tchar(b)) return null;
    else return otherwise;
    return null;
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') return b - '0';
    if (b >= 'a' && b <= 'f') return b - 'a' + 10;
    if (b >= 'A' && b <= 'F') return b - 'A' + 10;
    return -1;
  }

  private static boolean whitespace(byte b) {
    return b == ' ' || b == '\t';
  }

  /** RFC 9110 §5.6.2. */
  private static boolean tchar(byte b) {
    if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) return true;
    return b > 0 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
  }

  /** RFC 9110 §5.6.4: HTAB, SP and visible bytes except '"' and '\', and obs-text. */
  private static boolean qdtext(byte b) {
    int c = b & 0xff;
    return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80;
  }
}
