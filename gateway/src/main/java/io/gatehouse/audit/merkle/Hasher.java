package io.gatehouse.audit.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@link MerkleHashes}' leaf and node hashes with one digest kept for reuse: the writer and {@code verify-log} hash
 * millions of entries, and looking a digest up per hash costs about as much as hashing a short entry. Not
 * thread-safe: one per thread.
 */
public final class Hasher {
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
    sha256.update((byte) 0x00);
    sha256.update(entry, offset, length);
    return sha256.digest();
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public byte[] node(byte[] left, byte[] right) {
    sha256.update((byte) 0x01);
    sha256.update(left);
    return sha256.digest(right);
  }
}
