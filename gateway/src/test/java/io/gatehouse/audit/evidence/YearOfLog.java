package io.gatehouse.audit.evidence;

import static io.gatehouse.audit.evidence.LogFixture.config;
import static io.gatehouse.audit.evidence.LogFixture.login;
import static io.gatehouse.audit.evidence.LogFixture.request;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.LogEvent;
import io.gatehouse.core.Reason;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A year of entries for one replica, written through the real writer: {@value #SPARSE_PER_DAY} entries on each
 * ordinary day and {@value #BUSY_ENTRIES} on {@link #BUSY}, with what the report must say about the busy day counted
 * while they are made. Deterministic (a fixed seed), and no rule can fire by chance: every source's refused
 * authentications are spaced so only the planted burst exceeds 20 in 10 minutes.
 */
final class YearOfLog {
  static final LocalDate FIRST = LocalDate.parse("2025-01-01");
  static final int DAYS = 364;
  static final LocalDate BUSY = LocalDate.parse("2025-07-15");
  static final int SPARSE_PER_DAY = 300;
  static final int BUSY_ENTRIES = 200_000;
  static final String BURST_SOURCE = "203.0.113.99";
  static final int BURST = 500;
  private static final long DAY_MILLIS = 86_400_000L;
  private static final List<Reason> SCAN_REASONS = List.of(Reason.UNAUTHENTICATED, Reason.NO_ROUTE, Reason.ROUTE_DENIED,
      Reason.SOURCE_NOT_ALLOWED, Reason.SIGNATURE_MISSING, Reason.BAD_REQUEST, Reason.RATE_LIMITED);
  private static final List<String> SCAN_PATHS = List.of("/.env", "/wp-login.php", "/rest/login", "/webhook/x",
      "/api/v1/workflows", "/admin", "/.git/config");

  /** What the report must say about {@link #BUSY}, counted while writing. */
  static final class Expected {
    final Map<String, long[]> people = new TreeMap<>();
    final Map<String, String> emails = new HashMap<>();
    final Map<String, Instant> emailTimes = new HashMap<>();
    final Map<String, long[]> clients = new TreeMap<>();
    final Map<String, Long> reasons = new TreeMap<>();
    final Map<String, Long> sources = new HashMap<>();
    final List<String> configEvents = new ArrayList<>();
    String dayStartSha;
    long refusals;
    long requests;
    long written;
    long alerts;
    long breakGlass;
  }

  private final Random random = new Random(20250715);
  private final Expected expected = new Expected();
  private long ids;
  private int scanner;
  private int configVersion;
  private String inForce;
  private final Map<String, Integer> personRequests = new HashMap<>();
  private final Map<String, String> addresses = new HashMap<>();

  static String sha(int version) {
    return String.format("%064x", 0xC0FFEE00L + version);
  }

  /** Writes the year into {@code log} and returns what the busy day holds. */
  Expected write(LogFixture log) {
    for (int d = 0; d < DAYS; d++) {
      LocalDate day = FIRST.plusDays(d);
      List<Timed> events = day.equals(BUSY) ? busyDay(day) : sparseDay(day, d);
      events.sort(Comparator.comparingLong(Timed::order));
      for (Timed t : events) {
        if (day.equals(BUSY.minusDays(1)) || day.equals(BUSY)) expect(t.event, day.equals(BUSY));
        if (t.event instanceof LogEvent e && e.kind().equals("config")
            && !"reload_refused".equals(e.fields().get("event"))) {
          inForce = (String) e.fields().get("sha256");
        }
        log.write(t.event);
      }
      if (day.plusDays(1).equals(BUSY)) expected.dayStartSha = inForce;
    }
    expected.written = log.written();
    return expected;
  }

  private List<Timed> sparseDay(LocalDate day, int index) {
    long start = millis(day);
    List<Timed> out = new ArrayList<>();
    if (index == 0) {
      out.add(at(start + 1_000, config(Instant.ofEpochMilli(start + 1_000), "load", sha(0), null, null)));
    } else if (index % 30 == 0) {
      configVersion++;
      out.add(at(start + 3_600_000, config(Instant.ofEpochMilli(start + 3_600_000), "reload", sha(configVersion),
          sha(configVersion - 1), List.of("routes[" + index % 4 + "].allow"))));
    }
    if (index % 45 == 0 && index > 0) {
      out.add(at(start + 7_200_000, LogEvent.of("config", Instant.ofEpochMilli(start + 7_200_000), "event",
          "reload_refused", "path", "/etc/gatehouse/gatehouse.yaml", "sha256", sha(9_000 + index), "errors", 1L)));
    }
    List<String> today = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String person = "p" + random.nextInt(40);
      today.add(person);
      long t = start + random.nextInt(36_000_000);
      out.add(at(t, login(Instant.ofEpochMilli(t), "sub-" + person, person + "@example.com", ip(person))));
    }
    if (day.plusDays(1).equals(BUSY)) {
      long t = start + DAY_MILLIS - 600_000;
      out.add(at(t, login(Instant.ofEpochMilli(t), "sub-night", "night@example.com", ip("night"))));
    }
    while (out.size() < SPARSE_PER_DAY) {
      long t = start + 36_000_000 + random.nextInt(50_000_000);
      int kind = random.nextInt(10);
      if (kind < 7) out.add(at(t, personRequest(t, today.get(random.nextInt(today.size())))));
      else if (kind < 9) out.add(at(t, clientRequest(t, random.nextInt(3))));
      else out.add(at(t, scan(t)));
    }
    return out;
  }

  private List<Timed> busyDay(LocalDate day) {
    long start = millis(day);
    List<Timed> out = new ArrayList<>(BUSY_ENTRIES + 16);
    List<String> people = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String person = "b" + i;
      people.add(person);
      long t = start + random.nextInt(43_200_000);
      out.add(at(t, login(Instant.ofEpochMilli(t), "sub-" + person, person + "@example.com", ip(person))));
      if (i % 10 == 0) {
        long later = t + 3_600_000 + random.nextInt(3_600_000);
        out.add(at(later, login(Instant.ofEpochMilli(later), "sub-" + person, person + ".new@example.com", ip(person))));
      }
    }
    people.add("night");
    long reload = start + 6 * 3_600_000L;
    configVersion++;
    out.add(at(reload, config(Instant.ofEpochMilli(reload), "reload", sha(configVersion), sha(configVersion - 1),
        List.of("routes[2].rate_limit.rate"))));
    out.add(at(reload + 1_800_000, LogEvent.of("config", Instant.ofEpochMilli(reload + 1_800_000), "event",
        "reload_refused", "path", "/etc/gatehouse/gatehouse.yaml", "sha256", sha(9_999), "errors", 3L)));
    for (int a = 0; a < 2; a++) {
      long t = start + 50_000_000L + a * 1_000_000L;
      out.add(at(t, LogEvent.of("alert", Instant.ofEpochMilli(t), "type", "upstream_down", "route", "editor",
          "detail", "n8n did not answer")));
    }
    long glass = start + 70_000_000L;
    out.add(at(glass, LogEvent.of("sso", Instant.ofEpochMilli(glass), "event", "break_glass", "subject",
        "owner@n8n.local", "client_ip", "10.9.9.9")));
    long burst = start + 8 * 3_600_000L;
    for (int i = 0; i < BURST; i++) {
      long t = burst + i * 600L;
      out.add(at(t, request(Instant.ofEpochMilli(t), id(), null, BURST_SOURCE, "/rest/login", Reason.UNAUTHENTICATED,
          null)));
    }
    int regular = BUSY_ENTRIES - out.size();
    for (int i = 0; i < regular; i++) {
      long base = start + (long) i * DAY_MILLIS / regular;
      // Arrival times, written in completion order: a little out of order, as in a real log.
      long t = Math.max(start, Math.min(start + DAY_MILLIS - 1, base + random.nextInt(400) - 200));
      int kind = random.nextInt(10);
      AuditEvent event = kind < 7 ? personRequest(t, people.get(random.nextInt(people.size())))
          : kind < 8 ? clientRequest(t, random.nextInt(10)) : scan(t);
      out.add(new Timed(base, event));
    }
    return out;
  }

  private AuditEvent personRequest(long t, String person) {
    int n = personRequests.merge(person, 1, Integer::sum);
    // Every 20th refused: a person's refusals never come close to a burst.
    Reason reason = n % 20 == 0 ? Reason.FORBIDDEN : Reason.NONE;
    return request(Instant.ofEpochMilli(t), id(), "sub-" + person, ip(person), "/rest/workflows/" + (n % 50), reason,
        null);
  }

  private AuditEvent clientRequest(long t, int client) {
    String tls = client < 2 ? "CN=client-" + client + ",O=Partner" : null;
    Reason reason = random.nextInt(30) == 0 ? Reason.RATE_LIMITED : Reason.NONE;
    return request(Instant.ofEpochMilli(t), id(), null, "192.0.2." + (10 + client), "/webhook/intake", reason, tls);
  }

  /** Four thousand scanning addresses in turn: each is refused about ten times a day, never in a burst. */
  private AuditEvent scan(long t) {
    int k = scanner++ % 4_000;
    Reason reason = SCAN_REASONS.get(random.nextInt(SCAN_REASONS.size()));
    return request(Instant.ofEpochMilli(t), id(), null, "198.18." + (k / 250) + "." + (k % 250),
        SCAN_PATHS.get(random.nextInt(SCAN_PATHS.size())), reason, null);
  }

  private void expect(AuditEvent event, boolean busy) {
    if (event instanceof LogEvent e && e.kind().equals("sso") && "login".equals(e.fields().get("event"))) {
      String subject = (String) e.fields().get("subject");
      Instant known = expected.emailTimes.get(subject);
      if (known == null || e.time().isAfter(known)) {
        expected.emailTimes.put(subject, e.time());
        expected.emails.put(subject, (String) e.fields().get("email"));
      }
      if (busy) expected.people.computeIfAbsent(subject, s -> new long[4])[0]++;
    }
    if (!busy) return;
    if (event instanceof LogEvent e && e.kind().equals("config")) {
      expected.configEvents.add((String) e.fields().get("event"));
    }
    if (event instanceof LogEvent e && e.kind().equals("alert")) expected.alerts++;
    if (event instanceof LogEvent e && e.kind().equals("sso") && "break_glass".equals(e.fields().get("event"))) {
      expected.breakGlass++;
    }
    if (!(event instanceof io.gatehouse.audit.AccessRecord r)) return;
    expected.requests++;
    boolean allowed = r.decision() == io.gatehouse.audit.Decision.ALLOW;
    if (r.identity() != null) {
      long[] p = expected.people.computeIfAbsent(r.identity(), s -> new long[4]);
      p[1]++;
      p[allowed ? 2 : 3]++;
    } else {
      long[] c = expected.clients.computeIfAbsent(r.clientIp() + "|" + r.tlsClientSubject(), k -> new long[2]);
      c[allowed ? 0 : 1]++;
    }
    if (!allowed) {
      expected.refusals++;
      expected.reasons.merge(r.reason().code(), 1L, Long::sum);
      expected.sources.merge(r.clientIp(), 1L, Long::sum);
    }
  }

  private String id() {
    return "r" + ids++;
  }

  /** One address per person, none shared. */
  private String ip(String person) {
    return addresses.computeIfAbsent(person, p -> "10.1." + (addresses.size() / 250) + "." + (addresses.size() % 250));
  }

  private static long millis(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  private static Timed at(long t, AuditEvent event) {
    return new Timed(t, event);
  }

  /** An event and where it falls in the writing order (its time, before any jitter). */
  private record Timed(long order, AuditEvent event) {}
}
