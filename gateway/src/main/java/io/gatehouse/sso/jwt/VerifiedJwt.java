package io.gatehouse.sso.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The claims of a token whose signature, issuer and validity times {@link JwtVerifier} checked. Typed accessors for
 * what the gateway uses; {@link #claim} for the rest. {@link #toString()} shows only the subject.
 */
public final class VerifiedJwt {
  private final JwsAlgorithm algorithm;
  private final String keyId;
  private final ObjectNode claims;
  private final List<String> audiences;
  private final Set<String> scopes;
  private final Instant expiresAt;

  VerifiedJwt(JwsAlgorithm algorithm, String keyId, ObjectNode claims, Instant expiresAt) {
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.claims = claims;
    this.expiresAt = expiresAt;
    this.audiences = readAudiences(claims.get("aud"));
    this.scopes = readScopes(claims);
  }

  public JwsAlgorithm algorithm() {
    return algorithm;
  }

  /** The header's {@code kid}; null when it had none. */
  public String keyId() {
    return keyId;
  }

  /** {@code sub}, or null when absent or not a string. */
  public String subject() {
    return text("sub");
  }

  public String issuer() {
    return text("iss");
  }

  /** {@code aud} as a list (RFC 7519 §4.1.3 allows one string or an array); empty when absent. */
  public List<String> audiences() {
    return audiences;
  }

  /**
   * The granted scopes: the space-separated {@code scope} claim (RFC 8693 §4.2, RFC 9068) together with {@code scp}
   * (an array at Okta, a space-separated string at Entra ID).
   */
  public Set<String> scopes() {
    return scopes;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  /** One claim as JSON, or null when absent. Treat it as read-only. */
  public JsonNode claim(String name) {
    return claims.get(name);
  }

  /** A string claim, or null when absent or not a string. */
  public String text(String name) {
    JsonNode value = claims.get(name);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static List<String> readAudiences(JsonNode aud) {
    if (aud == null) return List.of();
    if (aud.isTextual()) return List.of(aud.textValue());
    List<String> values = new ArrayList<>();
    for (JsonNode item : aud) {
      if (item.isTextual()) values.add(item.textValue());
    }
    return List.copyOf(values);
  }

  private static Set<String> readScopes(ObjectNode claims) {
    Set<String> scopes = new LinkedHashSet<>();
    addScopes(claims.get("scope"), scopes);
    addScopes(claims.get("scp"), scopes);
    return Set.copyOf(scopes);
  }

  private static void addScopes(JsonNode value, Set<String> into) {
    if (value == null) return;
    if (value.isTextual()) {
      for (String scope : value.textValue().split(" ")) {
        if (!scope.isEmpty()) into.add(scope);
      }
    } else if (value.isArray()) {
      for (JsonNode item : value) {
        if (item.isTextual()) into.add(item.textValue());
      }
    }
  }

  @Override public String toString() {
    return "VerifiedJwt[sub=" + subject() + "]";
  }
}
