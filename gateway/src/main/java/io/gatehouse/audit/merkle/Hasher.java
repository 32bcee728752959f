package io.gatehouse.audit.merkle;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@link MerkleHashes}' leaf and node hashes with one digest kept for reuse: the writer and {@code verify-log} hash
 * millions of entries, and looking a digest up per hash costs about as much as hashing a short entry. Not
 * thread-safe: one per thread.
 */
public final class Hasher {
  /** The leaf and node prefixes, fed as slices: {@code update(byte)} takes a slower path than an array. */
  private static final byte[] PREFIXES = {0x00, 0x01};
  private final MessageDigest sha256;

  public Hasher() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** {@code SHA-256(0x00 || entry[offset, offset + length))}. */
  public byte[] leaf(byte[] entry, int offset, int length) {
    byte[] out = new byte[MerkleHashes.SIZE];
    leaf(entry, offset, length, out);
    return out;
  }

  /** As {@link #leaf(byte[], int, int)}, into {@code out[0, 32)}: a million entries a second make no garbage. */
  public void leaf(byte[] entry, int offset, int length, byte[] out) {
    sha256.update(PREFIXES, 0, 1);
    sha256.update(entry, offset, length);
    finish(out);
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public byte[] node(byte[] left, byte[] right) {
    byte[] out = new byte[MerkleHashes.SIZE];
    node(left, right, out);
    return out;
  }

  /** As {@link #node(byte[], byte[])}, into {@code out}, which may be {@code left} or {@code right}. */
  public void node(byte[] left, byte[] right, byte[] out) {
    sha256.update(PREFIXES, 1, 1);
    sha256.update(left);
    sha256.update(right);
    finish(out);
  }

  private void finish(byte[] out) {
    try {
      sha256.digest(out, 0, MerkleHashes.SIZE);
    } catch (DigestException e) {
      throw new IllegalStateException("a 32-byte buffer holds a SHA-256", e);
    }
  }
}
