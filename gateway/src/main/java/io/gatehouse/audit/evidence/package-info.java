/**
 * {@code gatehouse evidence}: the auditor's report for a period, from the audit log alone (docs/audit-log.md).
 *
 * <p>{@link io.gatehouse.audit.evidence.EvidenceCollector} reads the segments whose names overlap the period (and
 * the day before it, for context), hands every entry to one tally per question, verifies each directory whole, and
 * builds one {@link io.gatehouse.audit.evidence.EvidenceReport}; a renderer per
 * {@link io.gatehouse.audit.evidence.ReportFormat} writes it. The rules, each stated where it is applied:
 *
 * <ol>
 *   <li>Who reached n8n, per day ({@code AccessTally}): people are the subjects of {@code sso} {@code login} entries
 *       and the {@code identity} of {@code request} entries, with their logins and requests (allowed, refused),
 *       named by the e-mail of the latest login entry read, the day before the period included. Requests without an
 *       identity are clients, by {@code client_ip} and {@code tls_client_subject}; those with an allowed request
 *       are listed.
 *   <li>Refusals ({@code RefusalTally}): {@code request} entries with decision {@code refuse}, by reason and by
 *       source, per day and in total; the 20 most frequent sources and refused paths.
 *   <li>Config versions in force ({@code ConfigTally}): every {@code config} entry of the period, and per replica
 *       and day the version of its last entry before midnight UTC (or, with none read, of its first that day).
 *   <li>Anomalies ({@code AnomalyRules}): {@code alert} entries; more than 20 refused authentications
 *       ({@code unauthenticated}, {@code signature_invalid}, {@code signature_missing}, {@code sso_required},
 *       {@code forbidden}) from one source within 10 minutes; a {@code start} entry with {@code unsealed_tail} or
 *       {@code torn_bytes}; an {@code sso} {@code break_glass} entry; a {@code key} entry.
 *   <li>Integrity ({@code IntegrityCheck}): {@code verify-log}'s check of each whole log, every finding, and the
 *       checkpoints that sign the period: the first signed at or after its start, the first whose tree holds all
 *       its entries, and the latest. A log that does not verify makes the command exit 1.
 * </ol>
 *
 * <p>Log values (paths, e-mails, details) come from clients and the IdP: HTML escapes every one
 * ({@code HtmlPage}) under a Content-Security-Policy without scripts, CSV defuses spreadsheet formulas, and the
 * tallies keep at most 100,000 distinct keys each ({@code CappedMap}), saying so in the report's notes when a
 * period holds more.
 */
package io.gatehouse.audit.evidence;
