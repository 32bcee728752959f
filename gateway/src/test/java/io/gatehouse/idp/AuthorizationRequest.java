package io.gatehouse.idp;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One OIDC authorization code request with PKCE (S256), {@code state} and {@code nonce}, as a relying party
 * would send it; {@code acrValues} asks Keycloak for a level of authentication (step-up).
 */
public record AuthorizationRequest(String clientId, String redirectUri, String scope, String state, String nonce,
    Pkce pkce, Optional<String> acrValues) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public static AuthorizationRequest create(String clientId, String redirectUri) {
    return new AuthorizationRequest(clientId, redirectUri, "openid profile email", random(), random(), Pkce.create(),
        Optional.empty());
  }

  public AuthorizationRequest withAcrValues(String acr) {
    return new AuthorizationRequest(clientId, redirectUri, scope, state, nonce, pkce, Optional.of(acr));
  }

  /** The URL to send the browser to, at the realm's {@code authorization_endpoint}. */
  public URI uri(URI authorizationEndpoint) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", clientId);
    query.put("redirect_uri", redirectUri);
    query.put("scope", scope);
    query.put("state", state);
    query.put("nonce", nonce);
    query.put("code_challenge", pkce.challenge());
    query.put("code_challenge_method", "S256");
    acrValues.ifPresent(acr -> query.put("acr_values", acr));
    return URI.create(authorizationEndpoint + "?" + query.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&")));
  }

  private static String random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
