package io.gatehouse.audit.evidence;

import io.gatehouse.audit.evidence.EvidenceReport.AccessDay;
import io.gatehouse.audit.evidence.EvidenceReport.Client;
import io.gatehouse.audit.evidence.EvidenceReport.Person;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Question 1, who reached n8n, per day. People are the subjects of {@code sso} entries with event {@code login} and
 * the {@code identity} of {@code request} entries; each is named by the e-mail of the latest login entry read for
 * that subject (the one-day look-back included, so a session begun the evening before still has a name). Requests
 * without an identity are clients, by {@code client_ip} and {@code tls_client_subject}; only those with at least
 * one allowed request reached n8n and are listed (the others are in the refusals).
 */
final class AccessTally {
  private final Map<LocalDate, Day> days = new HashMap<>();
  private final Map<String, Login> latestLogin = new HashMap<>();
  private final Consumer<String> notes;

  AccessTally(Consumer<String> notes) {
    this.notes = notes;
  }

  void entry(Entry e, boolean inPeriod) {
    if (e.kind().equals("sso") && "login".equals(e.text("event"))) login(e, inPeriod);
    else if (e.kind().equals("request") && inPeriod) request(e);
  }

  private void login(Entry e, boolean inPeriod) {
    String subject = e.text("subject");
    if (subject == null) return;
    String email = e.text("email");
    Login known = latestLogin.get(subject);
    if (email != null && (known == null || e.time().isAfter(known.time))) {
      latestLogin.put(subject, new Login(e.time(), email));
    }
    if (!inPeriod) return;
    PersonTally person = day(e.day()).people.get(subject);
    if (person != null) person.logins++;
  }

  private void request(Entry e) {
    Day day = day(e.day());
    boolean allowed = "allow".equals(e.text("decision"));
    day.requests++;
    if (allowed) day.allowed++;
    int hour = (int) Math.floorMod(e.time().toEpochMilli() / 3_600_000L, 24L);
    (allowed ? day.allowedByHour : day.refusedByHour)[hour]++;
    String identity = e.text("identity");
    if (identity != null) {
      PersonTally person = day.people.get(identity);
      if (person == null) return;
      person.requests++;
      if (allowed) person.allowed++;
      else person.refused++;
      return;
    }
    String ip = e.text("client_ip");
    String tls = e.text("tls_client_subject");
    ClientTally client = day.clients.get((ip == null ? "" : ip) + "\n" + (tls == null ? "" : tls));
    if (client == null) return;
    client.ip = ip;
    client.tls = tls;
    if (allowed) client.allowed++;
    else client.refused++;
  }

  private Day day(LocalDate day) {
    return days.computeIfAbsent(day, d -> new Day());
  }

  /** Every day of the period, quiet ones included. */
  List<AccessDay> result(Period period) {
    List<AccessDay> out = new ArrayList<>();
    for (LocalDate date : period.days()) {
      Day day = days.getOrDefault(date, new Day());
      List<Person> people = new ArrayList<>();
      day.people.map().forEach((subject, p) -> {
        Login login = latestLogin.get(subject);
        people.add(new Person(subject, login == null ? null : login.email, p.logins, p.requests, p.allowed, p.refused));
      });
      people.sort(Comparator.comparingLong(Person::requests).reversed().thenComparing(Person::subject));
      List<Client> clients = new ArrayList<>();
      day.clients.map().values().forEach(c -> {
        if (c.allowed > 0) clients.add(new Client(c.ip, c.tls, c.allowed, c.refused));
      });
      clients.sort(Comparator.comparingLong(Client::allowed).reversed()
          .thenComparing(c -> c.clientIp() == null ? "" : c.clientIp())
          .thenComparing(c -> c.tlsClientSubject() == null ? "" : c.tlsClientSubject()));
      if (day.people.overflow() > 0 || day.clients.overflow() > 0) {
        notes.accept(date + ": more than " + CappedMap.CAP + " distinct people or clients; " + day.people.overflow()
            + " + " + day.clients.overflow() + " entries of later ones are in the day's totals only");
      }
      out.add(new AccessDay(date, day.requests, day.allowed, day.requests - day.allowed, hours(day.allowedByHour),
          hours(day.refusedByHour), people, clients));
    }
    return out;
  }

  private static List<Long> hours(long[] counts) {
    return java.util.Arrays.stream(counts).boxed().toList();
  }

  private record Login(Instant time, String email) {}

  private static final class Day {
    long requests;
    long allowed;
    final long[] allowedByHour = new long[24];
    final long[] refusedByHour = new long[24];
    final CappedMap<PersonTally> people = new CappedMap<>(PersonTally::new);
    final CappedMap<ClientTally> clients = new CappedMap<>(ClientTally::new);
  }

  private static final class PersonTally {
    long logins;
    long requests;
    long allowed;
    long refused;
  }

  private static final class ClientTally {
    String ip;
    String tls;
    long allowed;
    long refused;
  }
}
