package io.gatehouse.audit.capture;

import io.gatehouse.audit.canonical.CanonicalFields;
import io.gatehouse.audit.scrub.BodyKind;
import io.gatehouse.audit.scrub.PhiType;
import io.gatehouse.audit.scrub.ScrubResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one scrubbed body into its {@code payload} entries. The text is split into pieces rather than written as
 * one value, because an entry is at most 65,535 bytes (tlog-tiles) and a string in it at most
 * {@link CanonicalFields#MAX_STRING} characters: a piece is exactly that many, so none is ever cut, and even a piece
 * of control characters (six bytes each, escaped) fits. A piece never ends between the two halves of a surrogate
 * pair, which the encoder would write as U+FFFD.
 */
final class PayloadPieces {
  static final int PIECE_CHARS = CanonicalFields.MAX_STRING;

  private PayloadPieces() {}

  /** The entries for a body that was scrubbed as it was captured. */
  static List<PayloadEntry> of(Instant time, String requestId, String route, CapturedBody body, ScrubResult result) {
    return of(time, requestId, route, body, result, -1);
  }

  /**
   * The entries for a body that was scrubbed, after decoding its {@code Content-Encoding} into {@code decodedBytes}
   * bytes ({@link BodyDecoding}; -1 when it had none): those are then what {@code truncated_at} counts.
   */
  static List<PayloadEntry> of(Instant time, String requestId, String route, CapturedBody body, ScrubResult result,
      long decodedBytes) {
    Map<String, Long> redactions = redactions(result.counts());
    String omitted = result.kind() != BodyKind.OMITTED ? null : body.contentEncoding() != null ? "encoding" : "type";
    long kept = decodedBytes >= 0 ? decodedBytes : Math.min(body.length(), body.size());
    long truncatedAt = omitted == null && (result.truncated() || body.budgetSpent()) ? kept : -1;
    List<String> pieces = omitted == null ? split(result.scrubbedText()) : List.of();
    int count = Math.max(1, pieces.size());
    List<PayloadEntry> entries = new ArrayList<>(count);
    String type = HeaderWords.mediaType(body.contentType());
    String hmac = result.hmacHex();
    for (int i = 0; i < count; i++) {
      entries.add(new PayloadEntry(time, requestId, route, body.part(), type, body.contentEncoding(),
          body.size(), hmac, redactions, truncatedAt, result.malformed(), omitted, i, count,
          pieces.isEmpty() ? null : pieces.get(i)));
    }
    return entries;
  }

  /**
   * The one entry for a body that was not scrubbed ({@code why}: {@code busy}, no worker could take it;
   * {@code error}, the scrubber failed): its size and HMAC, taken as it streamed, and nothing else.
   */
  static PayloadEntry unscrubbed(Instant time, String requestId, String route, CapturedBody body, String why) {
    return new PayloadEntry(time, requestId, route, body.part(), HeaderWords.mediaType(body.contentType()),
        body.contentEncoding(), body.size(), HexFormat.of().formatHex(body.hmac()), Map.of(), -1, false, why, 0, 1,
        null);
  }

  /**
   * Redactions by type name, for every piece of one body: sorted as the entry writes them, so the writer's sort is
   * a pass, and iterated in order (an immutable {@code Map.of} is iterated by probing its table).
   */
  private static Map<String, Long> redactions(Map<PhiType, Integer> counts) {
    if (counts.isEmpty()) return Map.of();
    TreeMap<String, Long> byName = new TreeMap<>();
    counts.forEach((type, n) -> byName.put(type.name(), (long) n));
    return Collections.unmodifiableMap(byName);
  }

  /** {@code text} in pieces of at most {@link #PIECE_CHARS} characters; none for empty text. */
  static List<String> split(String text) {
    List<String> pieces = new ArrayList<>(text.length() / PIECE_CHARS + 1);
    int at = 0;
    while (at < text.length()) {
      int end = Math.min(text.length(), at + PIECE_CHARS);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) end--;
      pieces.add(text.substring(at, end));
      at = end;
    }
    return pieces;
  }
}
