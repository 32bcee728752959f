package io.gatehouse.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The root of a growing log without keeping its leaves: the roots of the perfect subtrees its size decomposes into
 * (one per set bit, largest first), so an append costs O(log n) hashes at worst and the state is O(log n) hashes.
 * The root folds them right to left, which is RFC 9162's split at the largest power of two. The state can be saved
 * ({@link #frontier()}) and restored, so a restarted writer continues a tree of billions of entries at once.
 *
 * <p>The subtree roots live in one preallocated array and are merged in place: {@code verify-log} appends a million
 * leaves a second, and an object per hash would make that a garbage collector's benchmark.
 */
public final class TreeBuilder {
  /** A size is a long: at most 63 set bits, one slot more for the carry being merged. */
  private static final int SLOTS = Long.SIZE;
  /** {@code roots[0, count)}: the perfect subtrees' roots, left to right; their sizes are the set bits of {@link #size}. */
  private final byte[][] roots = new byte[SLOTS][MerkleHashes.SIZE];
  private int count;
  private long size;
  private final Hasher hasher = new Hasher();

  public TreeBuilder() {}

  /**
   * The tree whose {@link #frontier()} was {@code frontier} at {@code size}.
   *
   * @throws IllegalArgumentException when the number of hashes is not the number of set bits of {@code size}
   */
  public static TreeBuilder restore(long size, List<byte[]> frontier) {
    if (size < 0 || Long.bitCount(size) != frontier.size()) {
      throw new IllegalArgumentException("a frontier of " + frontier.size() + " hashes cannot be a tree of " + size);
    }
    TreeBuilder tree = new TreeBuilder();
    for (byte[] hash : frontier) {
      if (hash.length != MerkleHashes.SIZE) throw new IllegalArgumentException("a subtree hash is 32 bytes");
      System.arraycopy(hash, 0, tree.roots[tree.count++], 0, MerkleHashes.SIZE);
    }
    tree.size = size;
    return tree;
  }

  /** Appends a leaf hash; {@code leafHash} is copied, so the caller may reuse it. */
  public void append(byte[] leafHash) {
    if (leafHash.length != MerkleHashes.SIZE) throw new IllegalArgumentException("a leaf hash is 32 bytes");
    System.arraycopy(leafHash, 0, roots[count], 0, MerkleHashes.SIZE);
    // Each trailing one bit of the old size is a subtree of the carry's size: merge, as binary addition carries.
    for (long s = size; (s & 1) == 1; s >>>= 1) {
      hasher.node(roots[count - 1], roots[count], roots[count - 1]);
      count--;
    }
    count++;
    size++;
  }

  public long size() {
    return size;
  }

  public byte[] root() {
    if (count == 0) return MerkleHashes.empty();
    byte[] root = roots[count - 1].clone();
    for (int i = count - 2; i >= 0; i--) hasher.node(roots[i], root, root);
    return root;
  }

  /** The perfect subtrees' roots, largest first: with {@link #size()}, all {@link #restore} needs. */
  public List<byte[]> frontier() {
    List<byte[]> copy = new ArrayList<>(count);
    for (int i = 0; i < count; i++) copy.add(roots[i].clone());
    return copy;
  }
}
