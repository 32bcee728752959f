package io.gatehouse.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProofPlanTest {
  @Test
  void givesTheSameProofsAsTheTreeThatHoldsEveryLeaf() {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 70; i++) leaves.add(MerkleHashes.leaf(new byte[] {(byte) i, (byte) (i >> 8)}));
    MerkleTree tree = new MerkleTree(leaves);
    for (int size = 1; size <= leaves.size(); size++) {
      for (int index = 0; index < size; index++) {
        ProofPlan plan = ProofPlan.inclusion(index, size);
        leaves.forEach(plan::leaf);
        assertThat(plan.proof()).as("inclusion %d in %d", index, size)
            .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(tree.inclusionProof(index, size));
        assertThat(ProofVerifier.inclusion(index, size, leaves.get(index), plan.proof(), tree.root(size))).isTrue();
      }
      for (int old = 0; old <= size; old++) {
        ProofPlan plan = ProofPlan.consistency(old, size);
        leaves.forEach(plan::leaf);
        assertThat(plan.proof()).as("consistency %d to %d", old, size)
            .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(tree.consistencyProof(old, size));
      }
    }
  }
}
