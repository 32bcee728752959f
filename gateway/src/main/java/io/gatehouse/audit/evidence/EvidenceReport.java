package io.gatehouse.audit.evidence;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The auditor's report for a period, from the audit log alone: who reached n8n, what was refused, which config was
 * in force, what looked wrong, and whether the log verifies. Plain data: one model, rendered as HTML, JSON or CSV
 * ({@link ReportFormat}), so the three never disagree.
 *
 * @param dirs the log directories read, one per replica
 * @param intact whether every directory verifies (exit status 0); the findings are in {@link #integrity()}
 * @param notes limits the report ran into (e.g. more distinct sources than it keeps apart), said rather than hidden
 */
public record EvidenceReport(
    Period period,
    Instant generated,
    List<String> dirs,
    boolean intact,
    List<String> notes,
    Access access,
    Refusals refusals,
    Configs config,
    Anomalies anomalies,
    List<Integrity> integrity) {

  /** Question 1: who reached n8n, per day. */
  public record Access(List<AccessDay> days) {}

  /**
   * @param allowedByHour allowed requests in each UTC hour of the day, 0 to 23; {@code refusedByHour} likewise
   * @param people everyone named by an {@code sso} login or a request's {@code identity} that day
   * @param clients requests without an identity that n8n was reached by, per client address and mTLS subject
   */
  public record AccessDay(LocalDate day, long requests, long allowed, long refused, List<Long> allowedByHour,
      List<Long> refusedByHour, List<Person> people, List<Client> clients) {}

  /** @param email from the person's latest {@code sso} login read; null when none was */
  public record Person(String subject, String email, long logins, long requests, long allowed, long refused) {}

  /** @param tlsClientSubject the verified client certificate's subject; null without one */
  public record Client(String clientIp, String tlsClientSubject, long allowed, long refused) {}

  /**
   * Question 2: refused requests.
   *
   * @param sources distinct refused sources in the period; {@code topSources} names the most frequent
   */
  public record Refusals(long total, List<Count> byReason, List<RefusalDay> days, long sources, List<Source> topSources,
      List<Count> topPaths) {}

  public record RefusalDay(LocalDate day, long total, List<Count> byReason, long sources, List<Source> topSources) {}

  public record Source(String clientIp, long refusals, List<Count> byReason) {}

  public record Count(String key, long count) {}

  /** Question 3: config versions in force. */
  public record Configs(List<ConfigChange> changes, List<DayStart> dayStarts) {}

  /** One {@code config} entry: {@code load}, {@code reload} or {@code reload_refused}. */
  public record ConfigChange(long seq, Instant time, String replica, String event, String sha256, String previousSha256,
      String path, List<String> changed, List<String> restartNeeded, Long errors) {}

  /**
   * The version a replica's day started with.
   *
   * @param config the 16 hex digits entries carry; null when no entry tells
   * @param sha256 the full hash, when a {@code config} entry read names it
   * @param basis which entry the version was read from
   */
  public record DayStart(LocalDate day, String replica, String config, String sha256, String basis) {}

  /** Question 4: what looked wrong, and the rules that decided it. */
  public record Anomalies(List<Rule> rules, List<Anomaly> found) {}

  public record Rule(String code, String text) {}

  /**
   * @param from when it began; {@code to} when it ended (the same for a single entry)
   * @param source who or what it concerns: a client address, a subject, a route
   * @param count entries behind it
   */
  public record Anomaly(String rule, Instant from, Instant to, String replica, String source, long count,
      String detail) {}

  /** Question 5: one directory's verification, and the checkpoints that cover the period. */
  public record Integrity(String dir, String origin, boolean intact, long entries, long checkpoints,
      List<FindingRow> findings, List<CheckpointRow> checkpointsCovering) {}

  /** @param fails false for a finding that does not fail the verification (entries not signed yet) */
  public record FindingRow(String verdict, boolean fails, String file, long line, String detail) {}

  /** @param which {@code first_in_period}, {@code covering_period} or {@code latest} */
  public record CheckpointRow(String which, Instant time, long size, String root, String file, long line) {}
}
