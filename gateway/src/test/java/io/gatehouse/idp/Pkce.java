package io.gatehouse.idp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** An RFC 7636 code verifier and its S256 challenge. */
public record Pkce(String verifier, String challenge) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public static Pkce create() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return new Pkce(verifier, challengeOf(verifier));
  }

  static String challengeOf(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Never the verifier: it is a secret of the flow in progress. */
  @Override
  public String toString() {
    return "Pkce[challenge=" + challenge + "]";
  }
}
