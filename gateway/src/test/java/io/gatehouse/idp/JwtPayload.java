package io.gatehouse.idp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The decoded payload (or header) of a JWT Keycloak issued, for tests to read claims. The signature is NOT checked: that is
 * the gateway's job and its tests'; this only reads what a token received straight from Keycloak says.
 */
public record JwtPayload(JsonNode claims) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static JwtPayload of(String jwt) {
    return new JwtPayload(decodePart(jwt, 1));
  }

  /** The JWT's header ({@code alg}, {@code kid}, {@code typ}), read the same way. */
  public static JwtPayload header(String jwt) {
    return new JwtPayload(decodePart(jwt, 0));
  }

  private static JsonNode decodePart(String jwt, int index) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) throw new AssertionError("not a signed JWT (" + parts.length + " parts)");
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(parts[index]));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String string(String claim) {
    JsonNode value = claims.get(claim);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** A claim that may be one string or an array of them ({@code aud}), as a list; empty when absent. */
  public List<String> strings(String claim) {
    JsonNode value = claims.get(claim);
    List<String> out = new ArrayList<>();
    if (value == null || value.isNull()) return out;
    if (value.isArray()) value.forEach(item -> out.add(item.asText()));
    else out.add(value.asText());
    return out;
  }

  /** The space-separated {@code scope} claim, split. */
  public List<String> scopes() {
    String scope = string("scope");
    return scope == null || scope.isBlank() ? List.of() : List.of(scope.trim().split(" +"));
  }

  public boolean has(String claim) {
    return claims.has(claim);
  }

  /** Claim names only: a payload may hold personal data, and its values stay out of assertion messages. */
  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    claims.fieldNames().forEachRemaining(names::add);
    return "JwtPayload" + names;
  }
}
