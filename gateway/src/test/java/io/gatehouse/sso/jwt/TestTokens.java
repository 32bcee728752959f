package io.gatehouse.sso.jwt;

import io.gatehouse.sso.CanonicalBase64Url;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A test-only JWS signer: builds compact tokens from header and claims JSON, signed as an IdP (or attacker) would. */
final class TestTokens {
  static final String ISSUER = "https://idp.example.test/realms/corp";

  private TestTokens() {}

  /** Signs the encoded {@code header.claims} text and returns raw signature bytes. */
  interface Signer {
    byte[] sign(byte[] signingInput) throws GeneralSecurityException;
  }

  static String jws(String headerJson, String claimsJson, Signer signer) {
    String input = b64(headerJson) + "." + b64(claimsJson);
    try {
      return input + "." + CanonicalBase64Url.encode(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token of {@code alg} by {@code key}, with header {@code {"alg","kid"}}. */
  static String token(String alg, TestKey key, String claimsJson) {
    return jws(header(alg, key.kid()), claimsJson, signer(alg, key.pair().getPrivate()));
  }

  static String header(String alg, String kid) {
    return kid == null ? "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}"
        : "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
  }

  /** Valid claims at {@code now}: our issuer, audience {@code n8n-api}, five minutes left, two scopes. */
  static String claims(Instant now) {
    long t = now.getEpochSecond();
    return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"user-1\",\"aud\":\"n8n-api\",\"exp\":" + (t + 300)
        + ",\"iat\":" + t + ",\"nbf\":" + t + ",\"scope\":\"openid n8n:api\"}";
  }

  static Signer signer(String alg, PrivateKey key) {
    return input -> {
      Signature signature = switch (alg) {
        case "RS256" -> Signature.getInstance("SHA256withRSA");
        case "PS256" -> {
          Signature pss = Signature.getInstance("RSASSA-PSS");
          pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
          yield pss;
        }
        case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
        case "EdDSA" -> Signature.getInstance("Ed25519");
        default -> throw new IllegalArgumentException(alg);
      };
      signature.initSign(key);
      signature.update(input);
      return signature.sign();
    };
  }

  static Signer hmacSha256(byte[] secret) {
    return input -> {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(input);
    };
  }

  static String b64(String json) {
    return CanonicalBase64Url.encode(json.getBytes(StandardCharsets.UTF_8));
  }
}
