package io.gatehouse.audit.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A C2SP signed-note verifier key for Ed25519: the key's name and its 32-byte public key. The key id, which
 * prefixes each signature, is the first 4 bytes of {@code SHA-256(name || 0x0A || 0x01 || public key)}; the text form
 * is {@code <name>+<key id, 8 hex digits>+<base64(0x01 || public key)>} (c2sp.org/signed-note).
 */
public final class NoteKey {
  static final byte ED25519 = 0x01;
  static final int PUBLIC_KEY_BYTES = 32;

  private final String name;
  private final byte[] publicKey;
  private final int keyId;

  public NoteKey(String name, byte[] publicKey) {
    if (!isValidName(name)) throw new IllegalArgumentException("a key name is non-empty text without spaces or '+'");
    if (publicKey.length != PUBLIC_KEY_BYTES) throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    this.name = name;
    this.publicKey = publicKey.clone();
    this.keyId = keyId(name, publicKey);
  }

  /** Reads the text form; throws {@link IllegalArgumentException} when it is malformed or its key id does not match. */
  public static NoteKey parse(String verifierKey) {
    String[] parts = verifierKey.split("\\+", -1);
    if (parts.length != 3 || parts[1].length() != 8) throw new IllegalArgumentException("not a verifier key");
    byte[] encoded;
    try {
      encoded = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a verifier key");
    }
    if (encoded.length != PUBLIC_KEY_BYTES + 1 || encoded[0] != ED25519) {
      throw new IllegalArgumentException("not an Ed25519 verifier key");
    }
    NoteKey key = new NoteKey(parts[0], Arrays.copyOfRange(encoded, 1, encoded.length));
    if (!HexFormat.of().formatHex(ByteBuffer.allocate(4).putInt(key.keyId).array()).equals(parts[1])) {
      throw new IllegalArgumentException("the verifier key's id does not match its name and key");
    }
    return key;
  }

  /** c2sp.org/signed-note: a key name is non-empty and has no Unicode spaces and no plus. */
  static boolean isValidName(String name) {
    return name != null && !name.isEmpty() && name.codePoints().noneMatch(c -> c == '+' || Character.isWhitespace(c)
        || Character.isSpaceChar(c) || Character.isISOControl(c));
  }

  static int keyId(String name, byte[] publicKey) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(name.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) '\n');
      sha256.update(ED25519);
      return ByteBuffer.wrap(sha256.digest(publicKey)).getInt();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public String name() { return name; }
  public byte[] publicKey() { return publicKey.clone(); }
  public int keyId() { return keyId; }

  /** The text form, for {@code verify-log} and the auditors. */
  public String verifierKey() {
    byte[] encoded = new byte[PUBLIC_KEY_BYTES + 1];
    encoded[0] = ED25519;
    System.arraycopy(publicKey, 0, encoded, 1, PUBLIC_KEY_BYTES);
    return name + "+" + HexFormat.of().formatHex(ByteBuffer.allocate(4).putInt(keyId).array()) + "+"
        + Base64.getEncoder().encodeToString(encoded);
  }
}
