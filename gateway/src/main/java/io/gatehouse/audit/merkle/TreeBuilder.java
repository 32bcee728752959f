package io.gatehouse.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The root of a growing log without keeping its leaves: the roots of the perfect subtrees its size decomposes into
 * (one per set bit, largest first), so an append costs O(log n) hashes at worst and the state is O(log n) hashes.
 * The root folds them right to left, which is RFC 9162's split at the largest power of two. The state can be saved
 * ({@link #frontier()}) and restored, so a restarted writer continues a tree of billions of entries at once.
 */
public final class TreeBuilder {
  /** Roots of the perfect subtrees, left to right; their sizes are the set bits of {@link #size}, largest first. */
  private final List<byte[]> roots = new ArrayList<>();
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
      tree.roots.add(hash.clone());
    }
    tree.size = size;
    return tree;
  }

  public void append(byte[] leafHash) {
    if (leafHash.length != MerkleHashes.SIZE) throw new IllegalArgumentException("a leaf hash is 32 bytes");
    byte[] carry = leafHash;
    // Each trailing one bit of the old size is a subtree of the carry's size: merge, as binary addition carries.
    for (long s = size; (s & 1) == 1; s >>>= 1) carry = hasher.node(roots.remove(roots.size() - 1), carry);
    roots.add(carry);
    size++;
  }

  public long size() {
    return size;
  }

  public byte[] root() {
    if (roots.isEmpty()) return MerkleHashes.empty();
    byte[] root = roots.get(roots.size() - 1);
    for (int i = roots.size() - 2; i >= 0; i--) root = hasher.node(roots.get(i), root);
    return root;
  }

  /** The perfect subtrees' roots, largest first: with {@link #size()}, all {@link #restore} needs. */
  public List<byte[]> frontier() {
    List<byte[]> copy = new ArrayList<>(roots.size());
    for (byte[] hash : roots) copy.add(hash.clone());
    return copy;
  }
}
