package io.gatehouse.audit.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs, step by step as the RFC writes them, with
 * the edge cases transparency-dev/merkle settles the same way (sizes equal, the empty first tree). Every hash must be
 * 32 bytes. Ours to write: no Java library on Maven Central checks consistency proofs (DESIGN.md §7).
 */
public final class ProofVerifier {
  private ProofVerifier() {}

  /** Whether {@code proof} shows the leaf with {@code leafHash} at {@code index} in the tree of {@code size} with {@code root}. */
  public static boolean inclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
    if (index < 0 || index >= size || !isHash(leafHash) || !isHash(root) || !allHashes(proof)) return false;
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) return false;
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHashes.node(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = MerkleHashes.node(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(r, root);
  }

  /** Whether {@code proof} shows that the tree of {@code size2} with {@code root2} extends the one of {@code size1}. */
  public static boolean consistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2) {
    if (size1 < 0 || size2 < size1 || !isHash(root1) || !isHash(root2) || !allHashes(proof)) return false;
    if (size1 == size2) return proof.isEmpty() && MessageDigest.isEqual(root1, root2);
    // Every tree extends the empty one; a proof for it would be made up.
    if (size1 == 0) return proof.isEmpty();
    if (proof.isEmpty()) return false;
    List<byte[]> path = proof;
    if (Long.bitCount(size1) == 1) {
      path = new ArrayList<>(proof.size() + 1);
      path.add(root1);
      path.addAll(proof);
    }
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) return false;
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHashes.node(c, fr);
        sr = MerkleHashes.node(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = MerkleHashes.node(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, root1) && MessageDigest.isEqual(sr, root2);
  }

  private static boolean isHash(byte[] hash) {
    return hash != null && hash.length == MerkleHashes.SIZE;
  }

  private static boolean allHashes(List<byte[]> proof) {
    if (proof == null) return false;
    for (byte[] p : proof) if (!isHash(p)) return false;
    return true;
  }
}
