package io.gatehouse.sso.jwt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads token headers, claims and JWKS documents: one JSON object, nothing after it, and a key given twice is an
 * error (two parsers disagreeing on which {@code alg} or {@code iss} counts is a known JWT attack).
 */
final class StrictJson {
  private static final ObjectReader READER = new ObjectMapper(
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
      .reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StrictJson() {}

  /** The object, or null when {@code json} is not exactly one well-formed JSON object without duplicate keys. */
  static ObjectNode objectOrNull(byte[] json) {
    try {
      JsonNode node = READER.readTree(json);
      return node instanceof ObjectNode object ? object : null;
    } catch (Exception e) {
      return null;
    }
  }
}
