package io.gatehouse.sso.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a JWKS document (RFC 7517 §5) into the public keys tokens may be checked with: RSA (at least 2048 bits),
 * EC P-256 (the point must be on the curve) and OKP Ed25519. Keys of other types or curves, and keys that do not
 * parse, are skipped rather than failing the set, so one exotic key at the IdP cannot take the others down.
 */
public final class JwkSetParser {
  static final int MAX_KEYS = 100;
  static final int MIN_RSA_BITS = 2048;
  /** DER SubjectPublicKeyInfo for Ed25519 (RFC 8410 §4) up to the 32 key bytes. */
  private static final byte[] ED25519_SPKI_PREFIX = {
      0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  private JwkSetParser() {}

  /** The usable keys; throws {@link IllegalArgumentException} when the document is not a JWKS at all. */
  public static List<JsonWebKey> parse(byte[] json) {
    ObjectNode document = StrictJson.objectOrNull(json);
    if (document == null || !(document.get("keys") instanceof ArrayNode keys)) {
      throw new IllegalArgumentException("not a JWKS document");
    }
    List<JsonWebKey> parsed = new ArrayList<>();
    for (JsonNode jwk : keys) {
      if (parsed.size() == MAX_KEYS) break;
      JsonWebKey key = parseKey(jwk);
      if (key != null) parsed.add(key);
    }
    return List.copyOf(parsed);
  }

  /** One JWK, or null when it is not a key we use. */
  static JsonWebKey parseKey(JsonNode jwk) {
    if (!jwk.isObject()) return null;
    String kty = text(jwk, "kty");
    if (kty == null) return null;
    try {
      PublicKey key = switch (kty) {
        case "RSA" -> rsa(jwk);
        case "EC" -> "P-256".equals(text(jwk, "crv")) ? p256(jwk) : null;
        case "OKP" -> "Ed25519".equals(text(jwk, "crv")) ? ed25519(jwk) : null;
        default -> null;
      };
      if (key == null) return null;
      return new JsonWebKey(text(jwk, "kid"), kty, text(jwk, "crv"), text(jwk, "alg"), text(jwk, "use"),
          keyOps(jwk), key);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }

  private static PublicKey rsa(JsonNode jwk) throws GeneralSecurityException {
    BigInteger n = unsigned(jwk, "n");
    BigInteger e = unsigned(jwk, "e");
    if (n == null || e == null || n.bitLength() < MIN_RSA_BITS || !e.testBit(0) || e.compareTo(BigInteger.ONE) <= 0) {
      return null;
    }
    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
  }

  private static PublicKey p256(JsonNode jwk) throws GeneralSecurityException {
    byte[] x = bytes(jwk, "x");
    byte[] y = bytes(jwk, "y");
    if (x == null || y == null || x.length != 32 || y.length != 32) return null;
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
    ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
    if (!onCurve(point, spec.getCurve())) return null;
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
  }

  /** y² = x³ + ax + b (mod p), with both coordinates below p: a point off the curve is not a P-256 key. */
  private static boolean onCurve(ECPoint point, EllipticCurve curve) {
    BigInteger p = ((ECFieldFp) curve.getField()).getP();
    BigInteger x = point.getAffineX();
    BigInteger y = point.getAffineY();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) return false;
    BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
    return y.pow(2).mod(p).equals(right);
  }

  private static PublicKey ed25519(JsonNode jwk) throws GeneralSecurityException {
    byte[] x = bytes(jwk, "x");
    if (x == null || x.length != 32) return null;
    byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, 32);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
  }

  private static List<String> keyOps(JsonNode jwk) {
    JsonNode ops = jwk.get("key_ops");
    if (ops == null || !ops.isArray()) return null;
    List<String> values = new ArrayList<>();
    for (JsonNode op : ops) {
      if (op.isTextual()) values.add(op.textValue());
    }
    return values;
  }

  private static String text(JsonNode jwk, String member) {
    JsonNode value = jwk.get(member);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static BigInteger unsigned(JsonNode jwk, String member) {
    byte[] bytes = bytes(jwk, member);
    return bytes == null || bytes.length == 0 ? null : new BigInteger(1, bytes);
  }

  /** JWKS come from the IdP over TLS, so the lenient JDK decoder (padding tolerated) is fine here. */
  private static byte[] bytes(JsonNode jwk, String member) {
    String text = text(jwk, member);
    if (text == null) return null;
    try {
      return Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
