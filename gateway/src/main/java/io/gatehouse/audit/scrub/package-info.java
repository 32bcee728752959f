/**
 * PHI scrubbing (issue 12): what the audit log may hold of a request or response body, under HIPAA Safe Harbor's
 * 18 identifiers (45 CFR 164.514(b)(2)).
 *
 * <p>{@link io.gatehouse.audit.scrub.Scrubber} takes a content type and the body's bytes, whole or as a
 * {@link io.gatehouse.audit.scrub.ScrubStream} of chunks, and gives a {@link io.gatehouse.audit.scrub.ScrubResult}:
 * the scrubbed bytes with each redaction written {@code [REDACTED:TYPE]} ({@link io.gatehouse.audit.scrub.PhiType}),
 * the counts per type, the original size, whether it was cut at {@code max_payload} or stopped parsing, and a keyed
 * HMAC-SHA256 of the raw body. The parts:
 *
 * <ul>
 *   <li>{@code detect}: one hand-written, bounded scanner per value format, with its validator (SSN, card, NPI,
 *       DEA, MBI, phone, e-mail, IPv4, IPv6, URL, date), and the {@code Cue}s that formats ambiguous alone need;
 *   <li>{@code field}: field names to verdicts: operator keys, allow keys, the built-in Safe Harbor names,
 *       matched across spelling styles;
 *   <li>{@code text}: the one-pass text scanner that runs the detectors over prose and finds MRNs and people's
 *       names by context and by the shipped Census name lists;
 *   <li>{@code body}: JSON (streamed with Jackson's non-blocking parser), form and text bodies.
 * </ul>
 *
 * <p>Multipart, binary and untyped bodies are never read: only their size, type and HMAC are kept. Nothing here
 * logs or keeps a raw byte beyond the body being scrubbed.
 */
package io.gatehouse.audit.scrub;
