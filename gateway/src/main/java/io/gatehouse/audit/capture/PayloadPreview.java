package io.gatehouse.audit.capture;

import io.gatehouse.audit.canonical.ByteSink;
import io.gatehouse.audit.canonical.CanonicalFields;
import io.gatehouse.audit.scrub.ScrubResult;
import io.gatehouse.audit.scrub.Scrubber;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the audit log would hold of one request body ({@code gatehouse scrub}): the same {@code payload} entries the
 * gateway writes, each as its own fields in canonical JSON (without the fields every entry has), and the result
 * they were made from.
 */
public final class PayloadPreview {
  private PayloadPreview() {}

  public record Preview(List<String> entries, ScrubResult result) {
    public Preview {
      entries = List.copyOf(entries);
    }
  }

  public static Preview of(Scrubber scrubber, String contentType, byte[] body) {
    ScrubResult result = scrubber.scrub(contentType, body);
    int kept = Math.min(body.length, scrubber.policy().maxPayload());
    CapturedBody captured = new CapturedBody(BodyPart.REQUEST, contentType, null, body, kept, body.length,
        result.hmac(), false);
    List<String> lines = new ArrayList<>();
    CanonicalFields fields = new CanonicalFields();
    for (PayloadEntry entry : PayloadPieces.of(Instant.EPOCH, null, null, captured, result)) {
      fields.reset();
      entry.writeFields(fields);
      ByteSink sink = new ByteSink(8192);
      fields.writeTo(sink);
      lines.add(new String(sink.toByteArray(), StandardCharsets.UTF_8));
    }
    return new Preview(lines, result);
  }
}
