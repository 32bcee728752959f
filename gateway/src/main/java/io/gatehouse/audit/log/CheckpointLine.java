package io.gatehouse.audit.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gatehouse.audit.canonical.ByteSink;
import io.gatehouse.audit.canonical.CanonicalFields;
import java.io.IOException;
import java.util.Optional;

/**
 * A checkpoint line of a segment or witness file: {@code {"checkpoint":"<signed note>"}} in canonical JSON
 * (docs/audit-log.md). It is not a leaf; the note inside it signs the tree of every entry before it.
 */
public final class CheckpointLine {
  /** How every checkpoint line starts; no entry has a field of that name. */
  static final String PREFIX = "{\"checkpoint\":";
  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final JsonFactory JSON = new JsonFactory();

  private CheckpointLine() {}

  /** The line's bytes, without the newline. */
  public static byte[] encode(String note) {
    ByteSink out = new ByteSink(note.length() + 32);
    new CanonicalFields().put("checkpoint", note).writeTo(out);
    return out.toByteArray();
  }

  /** Whether the line looks like a checkpoint line (it may still be malformed: see {@link #decode}). */
  public static boolean looksLikeOne(byte[] b, int offset, int length) {
    if (length < PREFIX_BYTES.length) return false;
    for (int i = 0; i < PREFIX_BYTES.length; i++) if (b[offset + i] != PREFIX_BYTES[i]) return false;
    return true;
  }

  /** The note of a well-formed checkpoint line: exactly one member, {@code checkpoint}, a string. */
  public static Optional<String> decode(byte[] b, int offset, int length) {
    try (JsonParser p = JSON.createParser(b, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
          || !"checkpoint".equals(p.currentName()) || p.nextToken() != JsonToken.VALUE_STRING) {
        return Optional.empty();
      }
      String note = p.getText();
      if (p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) return Optional.empty();
      return Optional.of(note);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
