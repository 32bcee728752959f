package io.gatehouse.audit.log;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A segment file's name (docs/audit-log.md): {@code seg-<first>.jsonl} while open, and once sealed
 * {@code seg-<first>-<last>-<from>-<to>.jsonl}, then {@code .jsonl.zst} (or {@code .jsonl.gz}: {@link
 * SegmentCompression}). Numbers have 20 digits so that names sort in log order; the times bound the entries'
 * {@code time} fields, so a day's segments are found by name.
 *
 * @param last the last entry's seq; -1 while open
 * @param from earliest entry time, rounded down to the second; null while open
 * @param to latest entry time, rounded up to the second; null while open
 */
public record SegmentName(long first, long last, Instant from, Instant to, SegmentCompression compression) {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern OPEN = Pattern.compile("seg-(\\d{20})\\.jsonl");
  private static final Pattern SEALED =
      Pattern.compile("seg-(\\d{20})-(\\d{20})-(\\d{8}T\\d{6}Z)-(\\d{8}T\\d{6}Z)\\.jsonl(\\.gz|\\.zst)?");

  public static SegmentName open(long first) {
    return new SegmentName(first, -1, null, null, SegmentCompression.NONE);
  }

  /** The sealed name of entries {@code first..last} whose times lie in {@code [from, to]}. */
  public static SegmentName sealed(long first, long last, Instant from, Instant to) {
    Instant down = from.truncatedTo(ChronoUnit.SECONDS);
    Instant up = to.truncatedTo(ChronoUnit.SECONDS);
    if (up.isBefore(to)) up = up.plusSeconds(1);
    return new SegmentName(first, last, down, up, SegmentCompression.NONE);
  }

  public boolean isOpen() {
    return last < 0;
  }

  public boolean compressed() {
    return compression != SegmentCompression.NONE;
  }

  public SegmentName compressedWith(SegmentCompression with) {
    return new SegmentName(first, last, from, to, with);
  }

  /** Entries in the segment, by its name (sealed segments only). */
  public long entries() {
    return last - first + 1;
  }

  /** Whether any entry of the segment can have a time in {@code [start, end)}; an open one always can. */
  public boolean mayOverlap(Instant start, Instant end) {
    return isOpen() || (from.isBefore(end) && !to.isBefore(start));
  }

  public String fileName() {
    if (isOpen()) return String.format("seg-%020d.jsonl", first);
    return String.format("seg-%020d-%020d-%s-%s.jsonl%s", first, last, STAMP.format(from), STAMP.format(to),
        compression.suffix());
  }

  /** Empty for a name that is not a segment's. */
  public static Optional<SegmentName> parse(String fileName) {
    Matcher open = OPEN.matcher(fileName);
    if (open.matches()) return Optional.of(open(Long.parseLong(open.group(1))));
    Matcher sealed = SEALED.matcher(fileName);
    if (!sealed.matches()) return Optional.empty();
    try {
      long first = Long.parseLong(sealed.group(1));
      long last = Long.parseLong(sealed.group(2));
      if (last < first) return Optional.empty();
      Instant from = STAMP.parse(sealed.group(3), Instant::from);
      Instant to = STAMP.parse(sealed.group(4), Instant::from);
      String suffix = sealed.group(5) == null ? "" : sealed.group(5);
      return Optional.of(new SegmentName(first, last, from, to, SegmentCompression.ofSuffix(suffix).orElseThrow()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override public String toString() {
    return fileName();
  }
}
