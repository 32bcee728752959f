package io.gatehouse.audit.evidence;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The days a report covers, {@code from} to {@code to} inclusive, in UTC: entries whose {@code time} lies in
 * {@code [from 00:00Z, to + 1 day 00:00Z)}.
 */
public record Period(LocalDate from, LocalDate to) {
  public Period {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("the period ends (" + to + ") before it starts (" + from + ")");
    }
  }

  /** From the command line's {@code yyyy-MM-dd} days. */
  public static Period parse(String from, String to) {
    try {
      return new Period(LocalDate.parse(from), LocalDate.parse(to));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("a day is written yyyy-MM-dd (UTC), e.g. 2026-12-01: " + e.getParsedString());
    }
  }

  public Instant start() {
    return from.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The first instant after the period. */
  public Instant end() {
    return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  public boolean contains(Instant time) {
    return !time.isBefore(start()) && time.isBefore(end());
  }

  public List<LocalDate> days() {
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) days.add(d);
    return days;
  }

  public static LocalDate dayOf(Instant time) {
    return LocalDate.ofInstant(time, ZoneOffset.UTC);
  }
}
