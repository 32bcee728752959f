package io.gatehouse.audit.prove;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.audit.merkle.Hasher;
import io.gatehouse.audit.merkle.ProofVerifier;
import io.gatehouse.audit.note.Checkpoint;
import io.gatehouse.audit.note.KeyRing;
import io.gatehouse.audit.verify.PublicKeyWindow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a proof printed by {@code audit prove} with nothing but the proof and the public keys: the checkpoints'
 * signatures, the entry's hash, and the RFC 9162 proof against the signed roots. What {@code verify-log --proof}
 * runs; an auditor can check a kept entry years later without the log.
 */
public final class ProofCheck {
  private ProofCheck() {}

  /** Empty when the proof holds; otherwise why not. */
  public static List<String> check(Path proofFile, List<PublicKeyWindow> keys) throws IOException {
    JsonNode proof = Proofs.JSON.readTree(proofFile.toFile());
    List<String> problems = new ArrayList<>();
    try {
      switch (proof.path("type").asText()) {
        case "inclusion" -> inclusion(proof, keys, problems);
        case "consistency" -> consistency(proof, keys, problems);
        default -> problems.add("not a proof printed by gatehouse audit prove");
      }
    } catch (Proofs.ProofException | IllegalArgumentException | NullPointerException e) {
      problems.add("malformed proof: " + e.getMessage());
    }
    return problems;
  }

  private static void inclusion(JsonNode proof, List<PublicKeyWindow> keys, List<String> problems)
      throws Proofs.ProofException {
    String note = proof.get("checkpoint").asText();
    Checkpoint checkpoint = signed(note, keys, "the checkpoint", problems);
    byte[] entry = proof.get("entry").asText().getBytes(StandardCharsets.UTF_8);
    byte[] leaf = new Hasher().leaf(entry, 0, entry.length);
    if (!Proofs.b64(leaf).equals(proof.get("leaf_hash").asText())) problems.add("the entry does not hash to leaf_hash");
    long seq = proof.get("seq").asLong();
    if (checkpoint.size() != proof.get("tree_size").asLong()) problems.add("tree_size is not the checkpoint's size");
    if (!ProofVerifier.inclusion(seq, checkpoint.size(), leaf, Proofs.hashes(proof.get("proof")), checkpoint.root())) {
      problems.add("the inclusion proof of entry " + seq + " does not lead to the checkpoint's root");
    }
  }

  private static void consistency(JsonNode proof, List<PublicKeyWindow> keys, List<String> problems)
      throws Proofs.ProofException {
    Checkpoint older = signed(proof.get("old_checkpoint").asText(), keys, "the old checkpoint", problems);
    Checkpoint newer = signed(proof.get("new_checkpoint").asText(), keys, "the new checkpoint", problems);
    if (!older.origin().equals(newer.origin())) problems.add("the checkpoints are of two logs");
    if (!ProofVerifier.consistency(older.size(), newer.size(), Proofs.hashes(proof.get("proof")), older.root(),
        newer.root())) {
      problems.add("the tree of size " + newer.size() + " does not extend the tree of size " + older.size());
    }
  }

  private static Checkpoint signed(String note, List<PublicKeyWindow> keys, String what, List<String> problems)
      throws Proofs.ProofException {
    Checkpoint checkpoint = Proofs.parse(note);
    List<KeyRing.Trusted> trusted = new ArrayList<>();
    for (PublicKeyWindow key : keys) trusted.add(key.forOrigin(checkpoint.origin()));
    KeyRing.Verdict verdict = new KeyRing(trusted).judge(note, checkpoint.time());
    if (verdict != KeyRing.Verdict.VALID) problems.add(what + " is not validly signed (" + verdict + ")");
    return checkpoint;
  }
}
