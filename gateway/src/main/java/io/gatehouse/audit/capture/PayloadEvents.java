package io.gatehouse.audit.capture;

import io.gatehouse.audit.scrub.PhiType;
import java.util.Map;

/** What payload capture reports, for metrics. Thread-safe and cheap: called on scrubbing workers and event loops. */
public interface PayloadEvents {
  PayloadEvents IGNORE = (part, outcome, redactions) -> {};

  /**
   * A body's entries were queued for the audit log.
   *
   * @param outcome {@code scrubbed}, {@code truncated} (cut at {@code max_payload} or by the capture budget),
   *     {@code omitted} (a type or encoding that is never read), {@code busy} (no worker could take it) or
   *     {@code error} (the scrubber failed; nothing of the body was logged)
   */
  void payloadLogged(BodyPart part, String outcome, Map<PhiType, Integer> redactions);
}
