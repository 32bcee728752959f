package io.gatehouse.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The root of a growing log without keeping its leaves: the roots of the perfect subtrees its size decomposes into
 * (one per set bit, largest first), so an append costs O(log n) hashes at worst and the state is O(log n) hashes.
 * The root folds them right to left, which is RFC 9162's split at the largest power of two.
 */
public final class TreeBuilder {
  /** Roots of the perfect subtrees, left to right, with their sizes (powers of two, strictly decreasing). */
  private final List<byte[]> roots = new ArrayList<>();
  private final List<Long> sizes = new ArrayList<>();
  private long size;

  public void append(byte[] leafHash) {
    if (leafHash.length != MerkleHashes.SIZE) throw new IllegalArgumentException("a leaf hash is 32 bytes");
    byte[] carry = leafHash;
    long carrySize = 1;
    while (!sizes.isEmpty() && sizes.get(sizes.size() - 1) == carrySize) {
      int last = sizes.size() - 1;
      carry = MerkleHashes.node(roots.remove(last), carry);
      sizes.remove(last);
      carrySize *= 2;
    }
    roots.add(carry);
    sizes.add(carrySize);
    size++;
  }

  public long size() {
    return size;
  }

  public byte[] root() {
    if (roots.isEmpty()) return MerkleHashes.empty();
    byte[] root = roots.get(roots.size() - 1);
    for (int i = roots.size() - 2; i >= 0; i--) root = MerkleHashes.node(roots.get(i), root);
    return root;
  }
}
