package io.gatehouse.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Roots and proofs over a list of leaf hashes, by RFC 9162's definitions (§2.1.1 MTH, §2.1.3.1 PATH, §2.1.4.1
 * PROOF): the tree splits at the largest power of two below its size, and an odd node is never duplicated. For
 * {@code audit prove} and the tests, which hold the leaves; the log itself keeps only {@link TreeBuilder}'s frontier.
 */
public final class MerkleTree {
  private final List<byte[]> leaves;

  /** @param leafHashes each {@link MerkleHashes#leaf} of an entry, in log order */
  public MerkleTree(List<byte[]> leafHashes) {
    this.leaves = List.copyOf(leafHashes);
  }

  public long size() {
    return leaves.size();
  }

  /** The root of the tree of the first {@code size} leaves. */
  public byte[] root(long size) {
    requireSize(size);
    return size == 0 ? MerkleHashes.empty() : hash(0, (int) size);
  }

  /** The audit path of leaf {@code index} in the tree of the first {@code size} leaves. */
  public List<byte[]> inclusionProof(long index, long size) {
    requireSize(size);
    if (index < 0 || index >= size) throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    List<byte[]> proof = new ArrayList<>();
    path((int) index, 0, (int) size, proof);
    return proof;
  }

  /** The proof that the tree of {@code size2} leaves extends the one of {@code size1}. */
  public List<byte[]> consistencyProof(long size1, long size2) {
    requireSize(size2);
    if (size1 < 0 || size1 > size2) throw new IllegalArgumentException("no proof from " + size1 + " to " + size2);
    List<byte[]> proof = new ArrayList<>();
    if (size1 > 0 && size1 < size2) subproof((int) size1, 0, (int) size2, true, proof);
    return proof;
  }

  private void requireSize(long size) {
    if (size < 0 || size > leaves.size()) {
      throw new IllegalArgumentException("tree size " + size + " outside 0.." + leaves.size());
    }
  }

  /** MTH(D[from:to]), to > from. */
  private byte[] hash(int from, int to) {
    if (to - from == 1) return leaves.get(from);
    int k = split(to - from);
    return MerkleHashes.node(hash(from, from + k), hash(from + k, to));
  }

  /** PATH(m, D[from:to]), appended bottom first. */
  private void path(int m, int from, int to, List<byte[]> out) {
    int n = to - from;
    if (n == 1) return;
    int k = split(n);
    if (m < k) {
      path(m, from, from + k, out);
      out.add(hash(from + k, to));
    } else {
      path(m - k, from + k, to, out);
      out.add(hash(from, from + k));
    }
  }

  /** SUBPROOF(m, D[from:to], whole). */
  private void subproof(int m, int from, int to, boolean whole, List<byte[]> out) {
    int n = to - from;
    if (m == n) {
      if (!whole) out.add(hash(from, to));
      return;
    }
    int k = split(n);
    if (m <= k) {
      subproof(m, from, from + k, whole, out);
      out.add(hash(from + k, to));
    } else {
      subproof(m - k, from + k, to, false, out);
      out.add(hash(from, from + k));
    }
  }

  /** The largest power of two smaller than n (n ≥ 2). */
  static int split(int n) {
    return Integer.highestOneBit(n - 1);
  }
}
