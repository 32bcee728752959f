package io.gatehouse.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every inclusion and consistency vector of transparency-dev/merkle (test resources merkle/transparency-dev, their
 * README names the source): the happy paths verify, and each tampered, truncated, extended or mis-sized one is
 * refused. One deliberate difference: a root that is not a 32-byte hash is refused here even where the vector does
 * not care (equal sizes with "don't care" roots), because every root this log signs is one.
 */
class ProofVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test void everyInclusionVectorIsDecidedAsTransparencyDevDecidesIt() throws Exception {
    List<String> wrong = new ArrayList<>();
    List<Path> files = vectors("inclusion");
    for (Path file : files) {
      JsonNode v = JSON.readTree(file.toFile());
      boolean ok = ProofVerifier.inclusion(v.get("leafIdx").asLong(), v.get("treeSize").asLong(),
          bytes(v.get("leafHash")), hashes(v.get("proof")), bytes(v.get("root")));
      if (ok == v.get("wantErr").asBoolean()) wrong.add(file + " (" + v.get("desc").asText() + ")");
    }
    assertThat(files).hasSizeGreaterThan(90);
    assertThat(wrong).isEmpty();
  }

  @Test void everyConsistencyVectorIsDecidedAsTransparencyDevDecidesIt() throws Exception {
    List<String> wrong = new ArrayList<>();
    List<Path> files = vectors("consistency");
    for (Path file : files) {
      JsonNode v = JSON.readTree(file.toFile());
      byte[] root1 = bytes(v.get("root1"));
      byte[] root2 = bytes(v.get("root2"));
      boolean ok = ProofVerifier.consistency(v.get("size1").asLong(), v.get("size2").asLong(),
          hashes(v.get("proof")), root1, root2);
      boolean roots = root1.length == MerkleHashes.SIZE && root2.length == MerkleHashes.SIZE;
      if (ok != (roots && !v.get("wantErr").asBoolean())) wrong.add(file + " (" + v.get("desc").asText() + ")");
    }
    assertThat(files).hasSizeGreaterThan(90);
    assertThat(wrong).isEmpty();
  }

  private static List<Path> vectors(String kind) throws IOException, URISyntaxException {
    Path dir = Path.of(ProofVectorsTest.class.getResource("/merkle/transparency-dev/" + kind).toURI());
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** A missing or null member is no bytes; base64 that does not decode is a one-byte array no check accepts. */
  private static byte[] bytes(JsonNode node) {
    if (node == null || node.isNull()) return new byte[0];
    try {
      return Base64.getDecoder().decode(node.asText());
    } catch (IllegalArgumentException e) {
      return new byte[1];
    }
  }

  private static List<byte[]> hashes(JsonNode array) {
    List<byte[]> out = new ArrayList<>();
    if (array != null && array.isArray()) for (JsonNode item : array) out.add(bytes(item));
    return out;
  }
}
