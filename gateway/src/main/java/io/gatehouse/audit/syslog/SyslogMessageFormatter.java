package io.gatehouse.audit.syslog;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gatehouse.audit.canonical.CanonicalJson;
import io.gatehouse.audit.note.Checkpoint;
import io.gatehouse.audit.note.SignedNote;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Optional;

/**
 * Turns audit log lines into RFC 5424 messages ({@code SYSLOG-MSG}, without the RFC 5425 length prefix):
 * {@code <PRI>1 TIMESTAMP HOSTNAME gatehouse - MSGID [gatehouse@32473 ...] MSG}.
 *
 * <ul>
 *   <li>PRI: facility 13, "log audit" (RFC 5424 §6.2.1), which SIEMs route with other audit trails. Severity
 *       warning (4) for a refusal (an entry whose {@code decision} is {@code refuse}, or whose {@code event} ends in
 *       {@code _refused}, such as a refused login), notice (5) for every other entry, informational (6) for a
 *       checkpoint.
 *   <li>TIMESTAMP: the entry's own {@code time} when it is a valid RFC 5424 time, else the time of formatting
 *       (always for checkpoints, which carry theirs inside the note).
 *   <li>HOSTNAME: the replica, every character outside printable US-ASCII replaced by {@code _} (the field allows
 *       nothing else), at most 255 characters.
 *   <li>MSGID {@code entry} or {@code checkpoint}; PROCID is the nil value.
 *   <li>MSG: the entry's line, byte for byte as in the segment file (already JSON-escaped, no line break), so a SIEM
 *       can hash it into the leaf hash; a checkpoint as its segment line {@code {"checkpoint":"<note>"}}, so the
 *       note's line breaks are JSON escapes. No BOM: MSG is JSON, and JSON readers refuse a leading BOM.
 * </ul>
 *
 * <p>A message is at most {@value #MAX_MESSAGE} octets, which RFC 5425 receivers should accept. A longer one (an
 * entry can be 64 KiB) has its MSG cut at a character boundary and gets {@code cut="<octets of the whole MSG>"}; its
 * {@code seq} and {@code leaf} still name the entry, whose whole line is in the segment files.
 */
final class SyslogMessageFormatter {
  /** The largest SYSLOG-MSG sent, in octets (RFC 5425 §4.3.1). */
  static final int MAX_MESSAGE = 8192;
  static final int FACILITY_LOG_AUDIT = 13;
  static final int WARNING = 4;
  static final int NOTICE = 5;
  static final int INFO = 6;
  static final String APP_NAME = "gatehouse";
  /**
   * The SD-ID, {@code name@<private enterprise number>}. 32473 is the example number RFC 5612 reserves for
   * documentation: Gatehouse has none of its own, and an operator cannot set one yet.
   */
  static final String SD_ID = "gatehouse@32473";
  /** Keeps the header well under {@link #MAX_MESSAGE} even when every character of the origin is escaped. */
  private static final int MAX_ORIGIN_CHARS = 512;
  private static final DateTimeFormatter NOW =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final String hostname;
  private final String escapedOrigin;
  private final Clock clock;

  /**
   * @param replica becomes HOSTNAME
   * @param origin the log's checkpoint origin, sent with every message so a SIEM can tell logs apart
   */
  SyslogMessageFormatter(String replica, String origin, Clock clock) {
    this.hostname = Rfc5424Fields.hostname(replica);
    this.escapedOrigin = ParamValueEscaper.escape(origin.codePoints().limit(MAX_ORIGIN_CHARS)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
    this.clock = clock;
  }

  /** An entry's message; {@code line} and {@code leafHash} are not kept. */
  byte[] entry(long seq, byte[] line, byte[] leafHash) {
    EntryFields fields = EntryFields.of(line);
    boolean refused = "refuse".equals(fields.decision())
        || (fields.event() != null && fields.event().endsWith("_refused"));
    String time = Rfc5424Fields.isTimestamp(fields.time()) ? fields.time() : now();
    String params = "seq=\"" + seq + "\" leaf=\"" + Base64.getEncoder().encodeToString(leafHash) + "\" origin=\""
        + escapedOrigin + "\"";
    return assemble(refused ? WARNING : NOTICE, time, "entry", params, withoutControlBytes(line));
  }

  /** A checkpoint's message; {@code size} and {@code root} come from the note when it is a tlog-checkpoint. */
  byte[] checkpoint(String signedNote) {
    StringBuilder params = new StringBuilder("origin=\"").append(escapedOrigin).append('"');
    Optional<Checkpoint> checkpoint = SignedNote.parse(signedNote).map(SignedNote::text)
        .or(() -> Optional.of(signedNote)) // an unsigned note is the body alone
        .flatMap(Checkpoint::parse);
    checkpoint.ifPresent(c -> params.append(" size=\"").append(c.size()).append("\" root=\"")
        .append(Base64.getEncoder().encodeToString(c.root())).append('"'));
    return assemble(INFO, now(), "checkpoint", params.toString(), checkpointLine(signedNote));
  }

  private byte[] assemble(int severity, String time, String msgId, String params, byte[] msg) {
    StringBuilder head = new StringBuilder(128 + params.length()).append('<')
        .append(FACILITY_LOG_AUDIT * 8 + severity).append(">1 ").append(time).append(' ').append(hostname)
        .append(' ').append(APP_NAME).append(" - ").append(msgId).append(" [").append(SD_ID).append(' ')
        .append(params);
    int room = MAX_MESSAGE - Rfc5424Fields.utf8Length(head) - 2;
    int keep = msg.length;
    if (msg.length > room) {
      String marker = " cut=\"" + msg.length + "\"";
      head.append(marker);
      keep = characterBoundary(msg, Math.max(0, room - marker.length()));
    }
    byte[] headBytes = head.append("] ").toString().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[headBytes.length + keep];
    System.arraycopy(headBytes, 0, out, 0, headBytes.length);
    System.arraycopy(msg, 0, out, headBytes.length, keep);
    return out;
  }

  private String now() {
    return NOW.format(clock.instant());
  }

  /** The segment's checkpoint line; a lone surrogate (never in a note the log signs) becomes {@code ?}. */
  private static byte[] checkpointLine(String note) {
    try {
      return CanonicalJson.encode(JsonNodeFactory.instance.objectNode().put("checkpoint", note));
    } catch (IllegalArgumentException e) {
      String text = new String(note.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      return CanonicalJson.encode(JsonNodeFactory.instance.objectNode().put("checkpoint", text));
    }
  }

  /**
   * The line itself when it has no control byte, as a canonical line never has; otherwise a copy with each one
   * written as a JSON u escape, so not even a malformed line can break a collector's record.
   */
  private static byte[] withoutControlBytes(byte[] line) {
    int controls = 0;
    for (byte b : line) if (b >= 0 && (b < 0x20 || b == 0x7f)) controls++;
    if (controls == 0) return line;
    byte[] out = new byte[line.length + controls * 5];
    int o = 0;
    for (byte b : line) {
      if (b >= 0 && (b < 0x20 || b == 0x7f)) {
        byte[] escape = String.format("\\u%04x", b).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(escape, 0, out, o, escape.length);
        o += escape.length;
      } else {
        out[o++] = b;
      }
    }
    return out;
  }

  /** The largest length at most {@code max} that does not end inside a UTF-8 sequence. */
  private static int characterBoundary(byte[] bytes, int max) {
    int end = Math.min(max, bytes.length);
    while (end > 0 && end < bytes.length && (bytes[end] & 0xC0) == 0x80) end--;
    return end;
  }
}
