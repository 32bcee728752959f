package io.gatehouse.sso.jwt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.sso.CanonicalBase64Url;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

/** A key pair generated for a test, and its public half as a JWK (JSON and parsed). */
record TestKey(String kid, KeyPair pair, ObjectNode jwkJson) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static TestKey rsa(String kid) {
    return rsa(kid, 2048);
  }

  static TestKey rsa(String kid, int bits) {
    KeyPair pair = generate("RSA", bits);
    RSAPublicKey key = (RSAPublicKey) pair.getPublic();
    ObjectNode jwk = JSON.createObjectNode().put("kty", "RSA").put("kid", kid)
        .put("n", unsigned(key.getModulus())).put("e", unsigned(key.getPublicExponent()));
    return new TestKey(kid, pair, jwk);
  }

  static TestKey p256(String kid) {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    ECPublicKey key = (ECPublicKey) pair.getPublic();
    ObjectNode jwk = JSON.createObjectNode().put("kty", "EC").put("crv", "P-256").put("kid", kid)
        .put("x", fixed(key.getW().getAffineX())).put("y", fixed(key.getW().getAffineY()));
    return new TestKey(kid, pair, jwk);
  }

  static TestKey ed25519(String kid) {
    KeyPair pair = generate("Ed25519", 0);
    byte[] spki = pair.getPublic().getEncoded();
    byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    ObjectNode jwk = JSON.createObjectNode().put("kty", "OKP").put("crv", "Ed25519").put("kid", kid)
        .put("x", CanonicalBase64Url.encode(x));
    return new TestKey(kid, pair, jwk);
  }

  /** The same key under other JWK members, e.g. {@code with("use", "enc")}. */
  TestKey with(String member, String value) {
    ObjectNode copy = jwkJson.deepCopy();
    copy.put(member, value);
    return new TestKey(kid, pair, copy);
  }

  JsonWebKey jwk() {
    JsonWebKey parsed = JwkSetParser.parseKey(jwkJson);
    if (parsed == null) throw new IllegalStateException("test JWK did not parse: " + jwkJson);
    return parsed;
  }

  private static KeyPair generate(String algorithm, int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (bits > 0) generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    return CanonicalBase64Url.encode(bytes);
  }

  private static String fixed(BigInteger coordinate) {
    byte[] bytes = coordinate.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - copy, out, 32 - copy, copy);
    return CanonicalBase64Url.encode(out);
  }
}
