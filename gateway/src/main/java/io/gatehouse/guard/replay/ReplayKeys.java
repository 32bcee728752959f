package io.gatehouse.guard.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns a delivery's identity into a store key: SHA-256 over scheme, webhook path and replay key. Hashed so that
 * neither the sender's delivery ids nor (for schemes without one) its signatures sit in Redis or memory in clear,
 * and namespaced by scheme and path so two webhooks that happen to share an id never collide.
 */
public final class ReplayKeys {
  private ReplayKeys() {}

  /** 64 lower-case hex digits. */
  public static String of(String scheme, String webhookPath, String replayKey) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    // A NUL separator: none of the three can contain one (header values and config paths), so the encoding is
    // unambiguous ("a" + "bc" never hashes like "ab" + "c").
    for (String part : new String[] {scheme, webhookPath, replayKey}) {
      sha256.update(part.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }
}
