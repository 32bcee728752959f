package io.gatehouse.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Roots and proofs made here agree with RFC 6962's test tree and with the verifier, for every small shape. */
class MerkleTreeTest {
  /** RFC 6962's eight test leaves (as in transparency-dev/merkle and Certificate Transparency's own tests). */
  private static final List<byte[]> RFC_LEAVES = List.of(hex(""), hex("00"), hex("10"), hex("2021"), hex("3031"),
      hex("40414243"), hex("5051525354555657"), hex("606162636465666768696a6b6c6d6e6f"));

  @Test void theRootsOfTheRfcTestTreeAreTheKnownOnes() {
    MerkleTree tree = new MerkleTree(RFC_LEAVES.stream().map(MerkleHashes::leaf).toList());

    assertThat(HexFormat.of().formatHex(tree.root(0)))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Base64.getEncoder().encodeToString(tree.root(1))).isEqualTo("bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=");
    assertThat(HexFormat.of().formatHex(tree.root(8)))
        .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  }

  @Test void everyInclusionAndConsistencyProofUpTo40LeavesVerifiesAndATamperedOneDoesNot() {
    List<byte[]> leaves = randomLeaves(40);
    MerkleTree tree = new MerkleTree(leaves);
    for (int n = 1; n <= 40; n++) {
      byte[] root = tree.root(n);
      for (int i = 0; i < n; i++) {
        List<byte[]> proof = tree.inclusionProof(i, n);
        assertThat(ProofVerifier.inclusion(i, n, leaves.get(i), proof, root)).as("leaf %d of %d", i, n).isTrue();
        assertThat(ProofVerifier.inclusion(i, n, leaves.get((i + 1) % 40), proof, root)).as("another leaf").isFalse();
        if (!proof.isEmpty()) {
          assertThat(ProofVerifier.inclusion(i, n, leaves.get(i), flipped(proof), root)).as("tampered").isFalse();
        }
      }
      for (int m = 0; m <= n; m++) {
        List<byte[]> proof = tree.consistencyProof(m, n);
        assertThat(ProofVerifier.consistency(m, n, proof, tree.root(m), root)).as("%d -> %d", m, n).isTrue();
        if (m > 0 && m < n) {
          assertThat(ProofVerifier.consistency(m, n, flipped(proof), tree.root(m), root)).as("tampered").isFalse();
          assertThat(ProofVerifier.consistency(m, n, proof, tree.root(m - 1), root)).as("a fork").isFalse();
        }
      }
    }
  }

  @Test void theBuilderKeepsTheSameRootAsTheWholeTreeAtEverySize() {
    List<byte[]> leaves = randomLeaves(300);
    MerkleTree tree = new MerkleTree(leaves);
    TreeBuilder builder = new TreeBuilder();
    assertThat(builder.root()).isEqualTo(tree.root(0));
    for (int n = 1; n <= 300; n++) {
      builder.append(leaves.get(n - 1));
      assertThat(builder.size()).isEqualTo(n);
      assertThat(builder.root()).as("size %d", n).isEqualTo(tree.root(n));
    }
  }

  private static List<byte[]> flipped(List<byte[]> proof) {
    List<byte[]> out = new ArrayList<>(proof);
    byte[] first = out.get(0).clone();
    first[0] ^= 1;
    out.set(0, first);
    return out;
  }

  private static List<byte[]> randomLeaves(int n) {
    Random random = new Random(6962);
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] entry = new byte[random.nextInt(40)];
      random.nextBytes(entry);
      leaves.add(MerkleHashes.leaf(entry));
    }
    return leaves;
  }

  private static byte[] hex(String text) {
    return HexFormat.of().parseHex(text);
  }
}
