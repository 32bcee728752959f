package io.gatehouse.audit.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * C2SP signed notes against golang.org/x/mod/sumdb/note's own test vector (note_test.go, BSD-3-Clause, The Go
 * Authors): the key "PeterNeumann", its verifier key text, and the exact signed note Go produces (Ed25519 is
 * deterministic, so ours must be byte for byte the same).
 */
class SignedNoteTest {
  private static final String VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  /** The seed of "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz". */
  private static final byte[] SEED = Arrays.copyOfRange(
      Base64.getDecoder().decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"), 1, 33);
  private static final String TEXT = "If you think cryptography is the answer to your problem,\n"
      + "then you don't know what your problem is.\n";
  private static final String SIGNED = TEXT + "\n"
      + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  @Test void signsExactlyAsGoDoesAndHasGosKeyIdAndVerifierKey() {
    NoteSigner signer = new NoteSigner("PeterNeumann", SEED);

    assertThat(signer.key().verifierKey()).isEqualTo(VERIFIER_KEY);
    assertThat(signer.sign(TEXT)).isEqualTo(SIGNED);
    assertThat(NoteKey.parse(VERIFIER_KEY).keyId()).isEqualTo(0xc74f20a3);
  }

  @Test void verifiesGosNoteAndRefusesAnyChangeToIt() {
    NoteKey key = NoteKey.parse(VERIFIER_KEY);

    assertThat(SignedNote.parse(SIGNED).orElseThrow().signedBy(key)).isTrue();
    assertThat(SignedNote.parse(SIGNED.replace("cryptography", "Cryptography")).orElseThrow().signedBy(key)).isFalse();
    assertThat(SignedNote.parse(SIGNED.replace("x08go", "x08gp")).map(n -> n.signedBy(key)).orElse(false)).isFalse();
    NoteKey other = new NoteSigner("PeterNeumann", new byte[32]).key();
    assertThat(SignedNote.parse(SIGNED).orElseThrow().signedBy(other)).as("another key of the same name").isFalse();
    for (String malformed : List.of(TEXT, TEXT + "\n", SIGNED.replace("\u2014", "-"), SIGNED.substring(0, SIGNED.length() - 1),
        TEXT + "\n\u2014 Peter Neumann AAAAAAA=\n")) {
      assertThat(SignedNote.parse(malformed)).as(malformed).isEmpty();
    }
  }

  /** Whatever a tampered file holds, reading it answers (a note or nothing) and never throws. */
  @Test void readingAnyMangledNoteNeverThrowsAndNeverVerifies() {
    NoteKey key = NoteKey.parse(VERIFIER_KEY);
    Random random = new Random(2014);
    String alphabet = "\n\u2014 +=/aAzZ09x\t\u0000\u00e9";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder mangled = new StringBuilder(SIGNED);
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(mangled.length() + 1);
        switch (random.nextInt(3)) {
          case 0 -> { if (at < mangled.length()) mangled.deleteCharAt(at); }
          case 1 -> mangled.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> { if (at < mangled.length()) mangled.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length()))); }
        }
      }
      String note = mangled.toString();
      boolean verifies = SignedNote.parse(note).map(n -> n.signedBy(key)).orElse(false);
      if (verifies) {
        // Only an edit that left the text and its signature as they were may verify.
        assertThat(SignedNote.parse(note).orElseThrow().text()).isEqualTo(TEXT);
      }
    }
  }

  @Test void refusesMalformedVerifierKeysAsGoDoes() {
    // From note_test.go: a wrong-length key and an unknown algorithm, each with its key hash adjusted.
    for (String bad : List.of("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "PeterNeumann+ARpc2Q")) {
      assertThatThrownBy(() -> NoteKey.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test void aCheckpointRoundTripsThroughItsSignedNote() {
    NoteSigner signer = new NoteSigner("gatehouse.example/audit", SEED);
    Checkpoint checkpoint = new Checkpoint("gatehouse.example/audit/replica-1", 1_234_567, new byte[32]);

    String note = signer.sign(checkpoint.body());

    SignedNote read = SignedNote.parse(note).orElseThrow();
    assertThat(read.signedBy(signer.key())).isTrue();
    assertThat(Checkpoint.parse(read.text())).contains(checkpoint);
    assertThat(checkpoint.body()).isEqualTo("gatehouse.example/audit/replica-1\n1234567\n"
        + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    for (String bad : List.of("o\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "o\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", "o\n1\nAAAA\n", "o\n1\n")) {
      assertThat(Checkpoint.parse(bad)).as(bad).isEmpty();
    }
  }
}
