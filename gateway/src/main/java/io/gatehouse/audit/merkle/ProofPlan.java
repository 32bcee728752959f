package io.gatehouse.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An inclusion or consistency proof worked out from one pass over the leaves, without holding them: RFC 9162's
 * PATH and SUBPROOF name the proof's nodes as hashes of leaf ranges {@code D[from:to]}, which are disjoint, so
 * each leaf feeds at most one {@link TreeBuilder} while the log is read. A year of entries is proven with
 * O(log n) memory. {@code ProofPlanTest} holds it to {@link MerkleTree}'s proofs.
 */
public final class ProofPlan {
  /** One proof node: the root of leaves {@code [from, to)}. */
  private record Range(long from, long to, TreeBuilder tree) {}

  private final List<Range> ranges = new ArrayList<>();
  private final long needed;
  private long next;

  private ProofPlan(long needed) {
    this.needed = needed;
  }

  /** The audit path of leaf {@code index} in the tree of {@code size} leaves. */
  public static ProofPlan inclusion(long index, long size) {
    if (index < 0 || index >= size) throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    ProofPlan plan = new ProofPlan(size);
    plan.path(index, 0, size);
    return plan;
  }

  /** The proof that the tree of {@code size2} leaves extends the one of {@code size1}. */
  public static ProofPlan consistency(long size1, long size2) {
    if (size1 < 0 || size1 > size2) throw new IllegalArgumentException("no proof from " + size1 + " to " + size2);
    ProofPlan plan = new ProofPlan(size2);
    if (size1 > 0 && size1 < size2) plan.subproof(size1, 0, size2, true);
    return plan;
  }

  /** How many leaves, from the first, the proof needs. */
  public long leavesNeeded() {
    return needed;
  }

  /** The next leaf of the log, in order; leaves past {@link #leavesNeeded()} are ignored. */
  public void leaf(byte[] leafHash) {
    long index = next++;
    for (Range range : ranges) {
      if (index >= range.from && index < range.to) {
        range.tree.append(leafHash);
        return;
      }
    }
  }

  /** The proof's hashes, bottom first, once every needed leaf was given. */
  public List<byte[]> proof() {
    if (next < needed) throw new IllegalStateException("only " + next + " of " + needed + " leaves were given");
    List<byte[]> out = new ArrayList<>(ranges.size());
    for (Range range : ranges) out.add(range.tree.root());
    return out;
  }

  private void add(long from, long to) {
    ranges.add(new Range(from, to, new TreeBuilder()));
  }

  private void path(long m, long from, long to) {
    long n = to - from;
    if (n == 1) return;
    long k = split(n);
    if (m < k) {
      path(m, from, from + k);
      add(from + k, to);
    } else {
      path(m - k, from + k, to);
      add(from, from + k);
    }
  }

  private void subproof(long m, long from, long to, boolean whole) {
    long n = to - from;
    if (m == n) {
      if (!whole) add(from, to);
      return;
    }
    long k = split(n);
    if (m <= k) {
      subproof(m, from, from + k, whole);
      add(from + k, to);
    } else {
      subproof(m - k, from + k, to, false);
      add(from, from + k);
    }
  }

  private static long split(long n) {
    return Long.highestOneBit(n - 1);
  }
}
