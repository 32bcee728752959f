package io.gatehouse.audit.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A C2SP signed note read back: its text and its signature lines, and whether one of them is a valid signature by a
 * given key (c2sp.org/signed-note). Lines of keys we do not know are kept and ignored, as the spec asks.
 *
 * @param text everything up to and including the newline before the blank line
 */
public record SignedNote(String text, List<Signature> signatures) {
  static final String SIGNATURE_PREFIX = "\u2014 ";

  /** One signature line: the key name and the decoded {@code key id || signature}. */
  public record Signature(String keyName, int keyId, byte[] signature) {}

  public SignedNote {
    signatures = List.copyOf(signatures);
  }

  /** Reads a signed note; empty when it is not well formed (no blank line, a bad signature line, no signature). */
  public static Optional<SignedNote> parse(String note) {
    int split = note.lastIndexOf("\n\n");
    if (split < 0 || split + 2 >= note.length() || !note.endsWith("\n")) return Optional.empty();
    String text = note.substring(0, split + 1);
    if (!isValidText(text)) return Optional.empty();
    List<Signature> signatures = new ArrayList<>();
    for (String line : note.substring(split + 2, note.length() - 1).split("\n", -1)) {
      if (!line.startsWith(SIGNATURE_PREFIX)) return Optional.empty();
      String[] parts = line.substring(SIGNATURE_PREFIX.length()).split(" ", -1);
      if (parts.length != 2 || !NoteKey.isValidName(parts[0])) return Optional.empty();
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(parts[1]);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      if (decoded.length < 5) return Optional.empty();
      signatures.add(new Signature(parts[0], ByteBuffer.wrap(decoded).getInt(), Arrays.copyOfRange(decoded, 4, decoded.length)));
    }
    return signatures.isEmpty() ? Optional.empty() : Optional.of(new SignedNote(text, signatures));
  }

  /** Whether a signature line of {@code key} (its name and key id) verifies over the text. */
  public boolean signedBy(NoteKey key) {
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    for (Signature s : signatures) {
      if (!s.keyName().equals(key.name()) || s.keyId() != key.keyId() || s.signature().length != 64) continue;
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(key.publicKey(), 0));
      verifier.update(message, 0, message.length);
      if (verifier.verifySignature(s.signature())) return true;
    }
    return false;
  }

  static void requireValidText(String text) {
    if (!isValidText(text)) {
      throw new IllegalArgumentException("a note's text is non-empty UTF-8 lines, each ending in a newline, no blank"
          + " line and no other control character");
    }
  }

  /** Non-empty, ends in a newline, no empty line, no control character but the newlines. */
  static boolean isValidText(String text) {
    if (text.isEmpty() || !text.endsWith("\n") || text.startsWith("\n") || text.contains("\n\n")) return false;
    return text.codePoints().noneMatch(c -> c != '\n' && (Character.isISOControl(c)));
  }
}
