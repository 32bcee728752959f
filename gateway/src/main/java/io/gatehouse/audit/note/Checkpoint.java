package io.gatehouse.audit.note;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A C2SP {@code tlog-checkpoint} body (c2sp.org/tlog-checkpoint): the log's origin line, the tree size in decimal
 * and the base64 root hash, each on its own line. Signed as a note by {@link NoteSigner}. Extension lines are not
 * written; a body with them is read without them.
 */
public record Checkpoint(String origin, long size, byte[] root) {
  public Checkpoint {
    if (origin.isEmpty() || origin.contains("\n")) throw new IllegalArgumentException("an origin is one non-empty line");
    if (size < 0) throw new IllegalArgumentException("a tree size is not negative");
    if (root.length != 32) throw new IllegalArgumentException("a root hash is 32 bytes");
    root = root.clone();
  }

  /** The root's bytes (a copy: the record keeps its own). */
  @Override public byte[] root() {
    return root.clone();
  }

  public String body() {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
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
      return Optional.of(new Checkpoint(lines[0], Long.parseLong(size), root));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override public boolean equals(Object o) {
    return o instanceof Checkpoint c && c.origin.equals(origin) && c.size == size
        && Arrays.equals(c.root, root);
  }

  @Override public int hashCode() {
    return origin.hashCode() * 31 + Long.hashCode(size) * 17 + Arrays.hashCode(root);
  }
}
