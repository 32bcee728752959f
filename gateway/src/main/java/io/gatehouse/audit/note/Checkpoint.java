package io.gatehouse.audit.note;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A C2SP {@code tlog-checkpoint} body (c2sp.org/tlog-checkpoint): the log's origin line, the tree size in decimal
 * and the base64 root hash, each on its own line, then Gatehouse's one extension line, {@code time <RFC 3339>}, when
 * the checkpoint was signed (the spec leaves extension lines to the log). The time is inside the signature, so a key's
 * validity window and {@code verify-log --max-staleness} rest on a signed value. Other extension lines are read
 * past.
 */
public record Checkpoint(String origin, long size, byte[] root, Optional<Instant> time) {
  private static final String TIME = "time ";

  public Checkpoint {
    if (origin.isEmpty() || origin.contains("\n")) throw new IllegalArgumentException("an origin is one non-empty line");
    if (size < 0) throw new IllegalArgumentException("a tree size is not negative");
    if (root.length != 32) throw new IllegalArgumentException("a root hash is 32 bytes");
    root = root.clone();
  }

  /** Without a time line. */
  public Checkpoint(String origin, long size, byte[] root) {
    this(origin, size, root, Optional.empty());
  }

  /** The root's bytes (a copy: the record keeps its own). */
  @Override public byte[] root() {
    return root.clone();
  }

  /** Whether {@code hash} is this checkpoint's root, without copying it. */
  public boolean hasRoot(byte[] hash) {
    return Arrays.equals(root, hash);
  }

  public String body() {
    String head = origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    return time.map(t -> head + TIME + t + "\n").orElse(head);
  }

  /** Empty when {@code text} is not a checkpoint body (a size with a sign or leading zeros is not one). */
  public static Optional<Checkpoint> parse(String text) {
    String[] lines = text.split("\n", -1);
    if (lines.length < 4 || !lines[lines.length - 1].isEmpty()) return Optional.empty();
    String size = lines[1];
    if (size.isEmpty() || size.length() > 19 || !size.chars().allMatch(Character::isDigit)
        || (size.length() > 1 && size.charAt(0) == '0')) {
      return Optional.empty();
    }
    try {
      byte[] root = Base64.getDecoder().decode(lines[2]);
      Optional<Instant> time = Optional.empty();
      for (int i = 3; i < lines.length - 1; i++) {
        if (lines[i].startsWith(TIME) && time.isEmpty()) time = Optional.of(Instant.parse(lines[i].substring(TIME.length())));
      }
      return Optional.of(new Checkpoint(lines[0], Long.parseLong(size), root, time));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Override public boolean equals(Object o) {
    return o instanceof Checkpoint c && c.origin.equals(origin) && c.size == size
        && Arrays.equals(c.root, root) && c.time.equals(time);
  }

  @Override public int hashCode() {
    return origin.hashCode() * 31 + Long.hashCode(size) * 17 + Arrays.hashCode(root);
  }

  @Override public String toString() {
    return "Checkpoint[" + body().replace("\n", " | ") + "]";
  }
}
