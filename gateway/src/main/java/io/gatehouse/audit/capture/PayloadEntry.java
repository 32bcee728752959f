package io.gatehouse.audit.capture;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.canonical.CanonicalFields;
import java.time.Instant;
import java.util.Map;

/**
 * One {@code payload} entry (docs/audit-log.md): a piece of what the audit log holds of one scrubbed body, tied to
 * its {@code request} entry by {@code request_id}. Every piece carries the body's summary (type, size, HMAC,
 * redactions per type, whether it was cut, why it was not read), so any one piece can be read alone.
 *
 * @param scrubbed this piece of the scrubbed text (at most {@link PayloadPieces#PIECE_CHARS} characters); null when
 *     nothing of the body is logged
 * @param omitted why the body's bytes are not logged ({@code type}, {@code encoding}, {@code busy}); null when they are
 * @param truncatedAt bytes of the body that were scrubbed, when that is fewer than its size; -1 otherwise
 */
record PayloadEntry(
    Instant time,
    String requestId,
    String route,
    BodyPart part,
    String contentType,
    String contentEncoding,
    long size,
    String hmac,
    Map<String, Long> redactions,
    long truncatedAt,
    boolean malformed,
    String omitted,
    int piece,
    int pieces,
    String scrubbed) implements AuditEvent {

  /** @param redactions not copied: {@link PayloadPieces} gives every piece of a body the one unmodifiable map */
  PayloadEntry {}

  @Override
  public String kind() {
    return "payload";
  }

  @Override
  public void writeFields(CanonicalFields out) {
    out.put("request_id", requestId)
        .put("route", route)
        .put("part", part.word())
        .put("content_type", contentType)
        .put("content_encoding", contentEncoding)
        .put("size", size)
        .put("hmac", hmac)
        .put("omitted", omitted)
        .put("piece", piece)
        .put("pieces", pieces)
        .put("scrubbed", scrubbed);
    if (!redactions.isEmpty()) out.putValue("redactions", redactions);
    if (truncatedAt >= 0) out.put("truncated_at", truncatedAt);
    if (malformed) out.put("malformed", true);
  }
}
