package io.gatehouse.sso.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.sso.CanonicalBase64Url;
import java.nio.charset.StandardCharsets;

/**
 * A token split into its three parts (RFC 7515 §7.1) with the header read, before any key is looked at. Parsing
 * accepts only what {@link JwtVerifier} can check: at most {@link #MAX_TOKEN_CHARS}, exactly three canonical
 * base64url parts, a JSON object header without duplicate keys, an allowed {@code alg}, and no {@code crit} (we
 * implement no extension, so RFC 7515 §4.1.11 says refuse).
 */
record CompactJws(JwsAlgorithm algorithm, String keyId, byte[] signingInput, int signingInputLength,
    byte[] payloadJson, byte[] signature) {
  static final int MAX_TOKEN_CHARS = 8 * 1024;

  /** Why a token did not parse, without the cost of a stack trace. */
  static final class Refusal extends Exception {
    final JwtRefusal reason;

    Refusal(JwtRefusal reason) {
      super(reason.code(), null, false, false);
      this.reason = reason;
    }
  }

  static CompactJws parse(String token) throws Refusal {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) throw malformed();
    int firstDot = token.indexOf('.');
    int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (firstDot <= 0 || secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) throw malformed();
    byte[] headerJson = CanonicalBase64Url.decodeOrNull(token, 0, firstDot);
    ObjectNode header = headerJson == null ? null : StrictJson.objectOrNull(headerJson);
    if (header == null) throw malformed();
    JsonNode alg = header.get("alg");
    JwsAlgorithm algorithm = alg != null && alg.isTextual() ? JwsAlgorithm.fromJwaName(alg.textValue()) : null;
    if (algorithm == null) throw new Refusal(JwtRefusal.ALG_NOT_ALLOWED);
    if (header.has("crit")) throw malformed();
    JsonNode kid = header.get("kid");
    if (kid != null && !kid.isTextual()) throw malformed();
    byte[] payloadJson = CanonicalBase64Url.decodeOrNull(token, firstDot + 1, secondDot);
    if (payloadJson == null || payloadJson.length == 0) throw malformed();
    byte[] signature = CanonicalBase64Url.decodeOrNull(token, secondDot + 1, token.length());
    if (signature == null || signature.length == 0) throw malformed();
    // Only the 64 base64url characters and the dots got this far, so the text is ASCII.
    byte[] ascii = token.getBytes(StandardCharsets.US_ASCII);
    return new CompactJws(algorithm, kid == null ? null : kid.textValue(), ascii, secondDot, payloadJson, signature);
  }

  /** The claims, read only once the signature verified; null when they are not a JSON object. */
  ObjectNode claimsOrNull() {
    return StrictJson.objectOrNull(payloadJson);
  }

  private static Refusal malformed() {
    return new Refusal(JwtRefusal.MALFORMED);
  }
}
